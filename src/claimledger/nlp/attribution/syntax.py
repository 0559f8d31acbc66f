"""Reading the dependency parse for attributions: a span's clean edges, a verb's subject,
agent and controller, noun phrases, and the cue words a verb brings with it."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from claimledger.nlp.attribution.quotes import is_quote
from claimledger.nlp.attribution.vocabulary import CUE_VERBS, EXPLETIVES, PARTICLE_CUES

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_CLOSERS = {")": "(", "]": "["}


def trim(doc: Doc, start: int, end: int) -> Span:
    """Strip punctuation and spaces at both ends, keeping quote marks that close a quote
    opened inside the span, and brackets that close one opened inside it ("South Korea's
    National Intelligence Service (NIS)")."""
    while start < end and (
        doc[start].is_space or (doc[start].is_punct and not is_quote(doc[start]))
    ):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].is_punct):
        tok = doc[end - 1]
        if is_quote(tok) and any(is_quote(t) for t in doc[start : end - 1]):
            break
        opener = _CLOSERS.get(tok.text)
        if opener is not None:
            inside = [t.text for t in doc[start : end - 1]]
            if inside.count(opener) > inside.count(tok.text):
                break
        end -= 1
    return doc[start:end]


def tokens_of(spans: Iterable[Span]) -> set[int]:
    return {i for span in spans for i in range(span.start, span.end)}


def cue_lemma(tok: Token) -> str | None:
    """The token's lemma if the cue lexicon lists it (with its particle, where it needs
    one: "point out")."""
    lemma = tok.lemma_.lower()
    if lemma not in CUE_VERBS:
        return None
    needs = PARTICLE_CUES.get(lemma)
    if needs is not None and not any(c.dep_ == "prt" and c.lower_ in needs for c in tok.children):
        return None
    return lemma


def cue_span(tok: Token, end: int | None = None) -> Span:
    """The cue verb with its auxiliaries, negation, adverbs and particle: "has also said",
    "pointed out" (PolNeAR's cues include them). ``end`` stretches it to a preposition
    that introduces the content ("called for")."""
    doc = tok.doc
    start = tok.i
    while start > tok.sent.start and doc[start - 1].head == tok:
        prev = doc[start - 1]
        if prev.dep_ in {"aux", "auxpass", "neg"} or (prev.dep_ == "advmod" and prev.pos_ == "ADV"):
            start -= 1
        else:
            break
    stop = tok.i + 1
    while stop < tok.sent.end and doc[stop].dep_ == "prt" and doc[stop].head == tok:
        stop += 1
    return doc[start : max(stop, end or 0)]


def subject_of(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in SUBJECT_DEPS and c.lower_ not in EXPLETIVES:
            return c
    return None


def controller(tok: Token) -> Token | None:
    """The subject a verb without one shares with the clause it hangs from: "He was able
    to consistently tout ...", "Dean appeared on MSNBC, saying ...", "X said and added"."""
    node = tok
    for _ in range(3):
        if node.dep_ not in {"advcl", "xcomp", "conj", "acomp"} or node.head == node:
            return None
        node = node.head
        subj = subject_of(node)
        if subj is not None:
            return subj
    return None


def agent_of(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def np_core(tok: Token) -> Span:
    """A noun phrase without its appositions and trailing modifiers after a comma."""
    doc = tok.doc
    start = tok.left_edge.i
    end = tok.i + 1
    for c in tok.rights:
        if c.dep_ in {"appos", "punct", "relcl", "acl"}:
            break
        end = c.right_edge.i + 1
    return trim(doc, start, end)


RELATIVE_TAGS = {"WDT", "WP"}


def is_relative(tok: Token) -> bool:
    """ "which", "who", "that" opening a relative clause."""
    return tok.tag_ in RELATIVE_TAGS or (tok.lower_ == "that" and tok.dep_ in SUBJECT_DEPS)


def antecedent(tok: Token) -> Token | None:
    """The noun a relative pronoun stands for: "the agency, which said ..." gives
    "agency"; None where the clause is no relative clause on a noun."""
    clause = tok.head
    if not is_relative(tok) or clause.dep_ != "relcl":
        return None
    # the noun right before it (", which"), where the parser hung the clause further off
    before = tok.doc[tok.i - 1] if tok.i > 0 else tok
    if before.text == "," and tok.i > 1:
        before = tok.doc[tok.i - 2]
    while before.dep_ in {"compound", "flat"} and before.head.i > before.i:
        before = before.head
    while (
        tok.lower_ in {"who", "whom"}  # a person: "the head of the agency, who said"
        and before.dep_ == "pobj"
        and before.head.dep_ == "prep"
        and before.head.head.pos_ in {"NOUN", "PROPN"}
    ):
        before = before.head.head  # "the head of the agency, who": the head
    if before.pos_ in {"NOUN", "PROPN"} and before.i < tok.i:
        return before
    return clause.head if clause.head.pos_ in {"NOUN", "PROPN", "PRON"} else None


def source_span(tok: Token) -> Span:
    """The whole source phrase: subject with its appositions, minus a trailing comma and a
    participial aside ("Trump, speaking to veterans in Virginia, said")."""
    doc = tok.doc
    end = tok.right_edge.i + 1
    for c in tok.rights:
        if (
            c.dep_ in {"acl", "advcl"}
            and c.tag_ in {"VBG", "VBN"}
            and doc[c.left_edge.i - 1].text == ","
        ):
            end = min(end, c.left_edge.i - 1)
    return trim(doc, tok.left_edge.i, end)
