"""Attribution finding on the dependency parse: who (source) says (cue) what (content).

The ``claimledger_attributions`` component sets ``doc._.claimledger_attributions`` to a list of
:class:`RawAttribution` (token spans, no resolution yet). Sources are resolved to entities by
:mod:`claimledger.nlp.sources`; records are built by :mod:`claimledger.extract`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claimledger.errors import ModelMissingError
from claimledger.nlp import PROFILES
from claimledger.nlp.cuemodel import (
    STACKED_FILE,
    CueModel,
    cue_features,
    load_cue_model,
    tagger_features,
)
from claimledger.nlp.lexicon import (
    CHANNEL_NOUNS,
    CUE_VERBS,
    HEDGE_WORDS,
    IMPERSONAL_CUES,
    NOUN_CUES,
    OBJECT_CUES,
    PARTICLE_CUES,
    PLATFORMS,
    REPORT_NOUNS,
    SPEECH_VERBS,
)
from claimledger.nlp.time.component import find_time_spans
from claimledger.records import Certainty, Style

if TYPE_CHECKING:
    from claimledger.nlp.roletagger import RoleTagger

ATTRIBUTIONS_ATTR = "claimledger_attributions"
# Per token: the role tagger's P(cue), P(source), P(content) (the accurate profile).
Roles = Sequence[tuple[float, float, float]]
TIME_SPANS_KEY = "claimledger_time"

OPEN_QUOTES = {"“", "«", "„"}
CLOSE_QUOTES = {"”", "»", "“"}
# The same mark opens and closes: straight quotes, and two apostrophes as some wires write them.
AMBIGUOUS_QUOTES = {'"', "''"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
EXPLETIVES = {"it", "there"}
FIRST_PERSON = {"i", "we"}
FALLBACK_MAX_TOKENS = 20
DEPENDENT_VERB_DEPS = {"xcomp", "acl", "advcl", "relcl", "pcomp", "amod"}
CONTRAST_MARKS = {"while", "whereas", "although", "though", "but"}


@dataclass
class RawVia:
    """An intermediary phrase: "According to a report by CNN" -> name CNN."""

    name: Span
    cue: Span | None
    carrier: Span | None = None  # "a report"


@dataclass
class RawChannel:
    kind: str
    span: Span
    platform: str | None = None


@dataclass
class RawAttribution:
    cue: Span
    cue_lemma: str
    cue_kind: str
    cue_certainty: Certainty
    content: Span
    style: Style
    source: Span | None = None
    via: list[RawVia] = field(default_factory=list)
    stated: Span | None = None
    channel: RawChannel | None = None
    hedges: list[tuple[Span, Certainty]] = field(default_factory=list)
    content_more: list[Span] = field(default_factory=list)  # a resumed quote
    parent: int | None = None  # index of the enclosing attribution in the doc's list
    stated_inherited: bool = False


def quote_spans(doc: Doc) -> list[Span]:
    """Double-quoted stretches, quote marks included. Single quotes are left alone because
    the same characters are apostrophes ("soldiers’")."""
    spans: list[Span] = []
    open_at: int | None = None
    for tok in doc:
        text = tok.text
        if tok.is_space and "\n" in text:
            # A quote still open at a paragraph's end runs to that end (news style reopens
            # it in the next paragraph); it never pairs with a mark paragraphs away.
            if open_at is not None and tok.i - 1 > open_at:
                spans.append(doc[open_at : tok.i])
            open_at = None
            continue
        if text in AMBIGUOUS_QUOTES:
            if open_at is None:
                open_at = tok.i
            else:
                spans.append(doc[open_at : tok.i + 1])
                open_at = None
        elif text in OPEN_QUOTES and (open_at is None or text != "“"):
            if open_at is None:
                open_at = tok.i
        elif text in CLOSE_QUOTES and open_at is not None:
            spans.append(doc[open_at : tok.i + 1])
            open_at = None
    return spans


_CLOSERS = {")": "(", "]": "["}


def _trim(doc: Doc, start: int, end: int) -> Span:
    """Strip punctuation and spaces at both ends, keeping quote marks that close a quote
    opened inside the span, and brackets that close one opened inside it ("South Korea's
    National Intelligence Service (NIS)")."""
    while start < end and (
        doc[start].is_space or (doc[start].is_punct and not _is_quote(doc[start]))
    ):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].is_punct):
        tok = doc[end - 1]
        if _is_quote(tok) and any(_is_quote(t) for t in doc[start : end - 1]):
            break
        opener = _CLOSERS.get(tok.text)
        if opener is not None:
            inside = [t.text for t in doc[start : end - 1]]
            if inside.count(opener) > inside.count(tok.text):
                break
        end -= 1
    return doc[start:end]


def _is_quote(tok: Token) -> bool:
    return tok.text in OPEN_QUOTES or tok.text in CLOSE_QUOTES or tok.text in AMBIGUOUS_QUOTES


def _cue_lemma(tok: Token) -> str | None:
    lemma = tok.lemma_.lower()
    if lemma not in CUE_VERBS:
        return None
    needs = PARTICLE_CUES.get(lemma)
    if needs is not None and not any(c.dep_ == "prt" and c.lower_ in needs for c in tok.children):
        return None
    return lemma


def _cue_span(tok: Token, end: int | None = None) -> Span:
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


def _quote_containing(quotes: list[Span], start: int, end: int) -> Span | None:
    for q in quotes:
        if q.start <= start and end <= q.end:
            return q
    return None


def _content_for(tok: Token, quotes: list[Span]) -> tuple[Span, Style] | None:
    """The content a reporting verb introduces: its clausal complement, or an adjacent quote."""
    doc = tok.doc
    sent = tok.sent
    comps = [c for c in tok.children if c.dep_ in {"ccomp", "xcomp", "parataxis"}]
    comps = [c for c in comps if c.pos_ in {"VERB", "AUX"} or c.dep_ == "ccomp"]
    # "“A,” he said" (and "“A,” he said, “B.”": the resumed quote is found later)
    quote_before = next(
        (q for q in reversed(quotes) if q.end <= tok.i and q.start >= sent.start - 40), None
    )
    if quote_before is not None and not all(
        doc[i].is_punct or doc[i].head == tok or doc[i].head.head == tok
        for i in range(quote_before.end, tok.i)
    ):
        quote_before = None
    quote_after = next(
        (q for q in quotes if q.start > tok.i and q.start <= tok.i + 3 and q.start < sent.end),
        None,
    )
    if quote_after is not None and all(
        doc[i].is_punct or doc[i].dep_ == "prt" for i in range(tok.i + 1, quote_after.start)
    ):
        return (quote_before or quote_after), "direct"
    if comps:
        comp = max(comps, key=lambda c: c.right_edge.i - c.left_edge.i)
        start, end = comp.left_edge.i, comp.right_edge.i + 1
        obj = next((c for c in tok.children if c.dep_ in {"dobj", "dative"}), None)
        if comp.dep_ == "xcomp" and obj is not None and tok.i < obj.i < start:
            start = obj.left_edge.i  # "urged Republicans to join": whom, and to do what
        q = _quote_containing(quotes, start, end)
        if q is not None and not (q.start <= tok.i < q.end):
            return q, "direct"
        end = _cut_other_reports(comp, end)
        if start > tok.i:
            end = _extend_over_siblings(tok, end)
        span = _trim(doc, start, end)
        if len(span) == 0:
            return None
        style: Style = "mixed" if any(_is_quote(t) for t in span) else "indirect"
        return span, style
    if quote_before is not None:
        return quote_before, "direct"
    return None


def _continuation(tok: Token, first: Span, quotes: list[Span]) -> Span | None:
    """ "“A,” he said in an interview. “B.”", "“A,” he said, “B.”", or B opening the next
    paragraph: the quote that resumes right after the cue's clause belongs to the same
    speaker, as long as nothing else is attributed in between."""
    doc = tok.doc
    after = next((q for q in quotes if q.start > tok.i and q.start > first.end), None)
    if after is None:
        return None
    breaks = 0
    for i in range(tok.i + 1, after.start):
        t = doc[i]
        if t.is_space and "\n" in t.text:
            breaks += 1
            if breaks > 1 or i + 1 != after.start:
                return None  # only when the next paragraph opens with the quote
            continue
        inside_clause = tok.left_edge.i <= t.i <= tok.right_edge.i
        if not (t.is_punct or t.is_space or inside_clause):
            return None
    # the resumed quote must not be introduced by a cue of its own
    for t in after.sent:
        if t != tok and not (after.start <= t.i < after.end) and _cue_lemma(t) is not None:
            return None
    if any(_cue_lemma(t) is not None for t in doc[after.end : after.sent.end]):
        return None
    return after


def _object_content(tok: Token) -> tuple[Span, Style] | None:
    """ "Trump called half of his supporters “deplorables”": the direct object (with a
    predicate after it) of a verb that attributes by naming what it is about."""
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is None:
        return None
    if any(c.dep_ in {"advcl", "conj"} and _cue_lemma(c) is not None for c in tok.children):
        # "praised their efforts, saying “...”": the speech verb carries the content
        return None
    end = obj.right_edge.i + 1
    for c in tok.rights:
        if c.i <= obj.i:
            continue
        if c.dep_ in {"oprd", "xcomp", "ccomp", "acomp"} or (
            c.dep_ == "prep" and c.lower_ in OBJECT_PREPS and c.i == end
        ):
            end = max(end, c.right_edge.i + 1)
    span = _trim(tok.doc, obj.left_edge.i, end)
    if len(span) == 0:
        return None
    style: Style = "mixed" if any(_is_quote(t) for t in span) else "indirect"
    return span, style


# Prepositions that introduce what a verb attributes: "talked about", "called for".
# Prepositions after an object that belong to what is attributed: "blasted Clinton as a
# disgrace", "attacked rivals for taking donations", "reported other figures to the agency".
OBJECT_PREPS = {"as", "for", "to", "of", "about", "over", "with", "against", "on"}
CONTENT_PREPS = {"about", "for", "on", "of", "with", "against", "over", "to", "at", "as"}


def _prep_content(tok: Token) -> tuple[Token, Span] | None:
    """ "She talked about the economy", "He called for a recount": the object of the
    first content preposition after the verb, with that preposition."""
    for prep in tok.rights:
        if prep.dep_ != "prep" or prep.lower_ not in CONTENT_PREPS:
            continue
        pobj = next((c for c in prep.children if c.dep_ in {"pobj", "pcomp"}), None)
        if pobj is None:
            continue
        span = _trim(tok.doc, pobj.left_edge.i, pobj.right_edge.i + 1)
        if len(span):
            return prep, span
        return None
    return None


@dataclass
class Candidate:
    """A verb with something to attribute, before anyone decides it is a cue."""

    tok: Token
    lemma: str
    shape: str  # "complement" (a clause or an adjacent quote) or "object"
    content: Span
    style: Style
    source_tok: Token | None
    in_quote: bool
    lexicon: str  # the rule lexicon that lists it: "cue:<kind>", "object" or ""
    cue_end: int | None = None  # the cue runs to here: "called for"
    cue_start: int | None = None  # a noun's cue starts here: "raised questions about"

    def cue(self) -> Span:
        if self.cue_start is None:
            return _cue_span(self.tok, self.cue_end)
        return self.tok.doc[self.cue_start : max(self.tok.i + 1, self.cue_end or 0)]

    def features(self) -> list[str]:
        return cue_features(
            self.tok,
            self.lemma,
            self.shape,
            self.content,
            self.style,
            self.source_tok,
            self.in_quote,
            self.lexicon,
        )


def verb_candidate(tok: Token, quotes: list[Span]) -> Candidate | None:
    """The candidate attribution a verb would head: its content from the parse and its
    subject. No lexicon is consulted to find it; the lexicons are recorded for the
    decision."""
    lemma = tok.lemma_.lower()
    listed = _cue_lemma(tok)
    shape = "complement"
    found = _content_for(tok, quotes)
    if found is None:
        shape = "object"
        found = _object_content(tok)
    cue_end = None
    if found is None:
        prep = _prep_content(tok)
        if prep is None:
            return None
        shape = f"prep:{prep[0].lower_}"
        cue_end = prep[0].i + 1
        found = (prep[1], "indirect")
    assert found is not None
    if shape == "complement":
        lexicon = f"cue:{CUE_VERBS[listed][0]}" if listed is not None else ""
    elif shape == "object":
        lexicon = "object" if lemma in OBJECT_CUES else ""
    else:
        lexicon = ""
    content, style = found
    source_tok = _subject_of(tok) or _agent_of(tok) or _controller(tok)
    if source_tok is not None and content.start <= source_tok.i < content.end:
        source_tok = None
    in_quote = _quote_containing(quotes, tok.i, tok.i + 1) is not None
    return Candidate(tok, lemma, shape, content, style, source_tok, in_quote, lexicon, cue_end)


def _is_cue(
    cand: Candidate,
    model: CueModel | None,
    roles: Roles | None = None,
    stacked: CueModel | None = None,
) -> bool:
    """The learned model decides; without one, the lexicons do (complement verbs from the
    curated and mined lists, object verbs from the mined list). A speech verb with its
    own subject and a clause is a cue whatever the model says: PolNeAR seldom annotates
    a report nested in another ("CNN reported that the general said ..."), and the model
    learned to drop them, but a ledger needs both links of the chain."""
    tok = cand.tok
    if (
        cand.shape == "complement"
        and cand.lemma in SPEECH_VERBS
        and cand.source_tok is not None
        and tok.dep_ == "ccomp"
        and tok.head.lemma_.lower() in SPEECH_VERBS
    ):
        return True
    if model is not None and roles is not None and stacked is not None:
        base = model.probability(cand.features())
        dense = tagger_features(base, roles, cand.cue(), cand.content, cand.source_tok)
        return stacked.accepts((), dense)
    if model is not None:
        return model.accepts(cand.features())
    return bool(cand.lexicon)


BREAKS = {",", ";", ":", "—", "–", "--", "(", ")"}


def tagged_cue(cue: Span, roles: Roles, others: list[Span]) -> Span:
    """Widen a cue over the neighbouring words the role tagger also reads as cue ("made a
    surprise decision to", "took to Twitter to"), never into its content or source."""
    doc = cue.doc
    blocked = _tokens_of(others)
    start, end = cue.start, cue.end
    sent = cue.sent
    while start > sent.start and start - 1 not in blocked and roles[start - 1][0] >= TAGGED_MIN:
        start -= 1
    while end < sent.end and end not in blocked and roles[end][0] >= TAGGED_MIN:
        end += 1
    return cue if (start, end) == (cue.start, cue.end) else doc[start:end]


def tagged_end(
    content: Span, sent: Span, roles: Roles, exclude: tuple[int, Token | None] = (-1, None)
) -> Span:
    """Move the end of an indirect content to where the role tagger says it ends: among
    the end the parse gave, the sentence's end and every clause break between them, the
    one whose words the tagger most agrees are content (the sum of P(content) − 0.5 over
    the words it takes in or leaves out). The content never runs over its own cue and
    source, nor over words the tagger takes for another cue or source."""
    doc = content.doc
    cue_i, source = exclude
    stop = sent.end
    for i in range(content.end, sent.end):
        if i == cue_i or (source is not None and i == source.i) or max(roles[i][:2]) >= 0.5:
            stop = i
            break
    ends = {content.end, stop}
    ends.update(i for i in range(content.start + 1, stop) if doc[i].text in BREAKS)
    best, best_score = content.end, 0.0
    for end in sorted(ends):
        lo, hi = sorted((end, content.end))
        gain = sum(roles[i][2] - 0.5 for i in range(lo, hi))
        score = gain if end > content.end else -gain
        if score > best_score:
            best, best_score = end, score
    if best == content.end:
        return content
    trimmed = _trim(doc, content.start, best)
    return trimmed if len(trimmed) else content


def _cut_other_reports(comp: Token, end: int) -> int:
    """ "X said A, while Y said B": B is Y's, not part of what X said."""
    for child in comp.rights:
        if child.dep_ not in {"advcl", "conj"}:
            continue
        contrast = any(
            c.dep_ in {"mark", "cc"} and c.lower_ in CONTRAST_MARKS for c in child.children
        ) or comp.doc[child.left_edge.i - 1].lower_ in (CONTRAST_MARKS)
        if contrast and _cue_lemma(child) is not None and _subject_of(child) is not None:
            return min(end, child.left_edge.i)
    return end


def _extend_over_siblings(tok: Token, end: int) -> int:
    """A complement the parser cut short ("believe that A is related to B, C, and D" with C
    and D hung on the cue verb) runs on to the cue's later objects and conjuncts."""
    for child in tok.rights:
        if child.i < end:
            continue
        if child.dep_ == "conj" and _subject_of(child) is not None:
            break  # "agreed that A, but he said B": a new clause of its own
        if child.dep_ in {"dobj", "conj", "cc"} or (child.dep_ == "punct" and child.text == ","):
            end = max(end, child.right_edge.i + 1)
        else:
            break
    return end


def _subject_of(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in SUBJECT_DEPS and c.lower_ not in EXPLETIVES:
            return c
    return None


def _controller(tok: Token) -> Token | None:
    """The subject a verb without one shares with the clause it hangs from: "He was able
    to consistently tout ...", "Dean appeared on MSNBC, saying ...", "X said and added"."""
    node = tok
    for _ in range(3):
        if node.dep_ not in {"advcl", "xcomp", "conj", "acomp"} or node.head == node:
            return None
        node = node.head
        subj = _subject_of(node)
        if subj is not None:
            return subj
    return None


def _agent_of(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _np_core(tok: Token) -> Span:
    """A noun phrase without its appositions and trailing modifiers after a comma."""
    doc = tok.doc
    start = tok.left_edge.i
    end = tok.i + 1
    for c in tok.rights:
        if c.dep_ in {"appos", "punct", "relcl", "acl"}:
            break
        end = c.right_edge.i + 1
    return _trim(doc, start, end)


def _source_span(tok: Token) -> Span:
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
    return _trim(doc, tok.left_edge.i, end)


def _via_phrases(sent: Span) -> list[tuple[RawVia, Span]]:
    """ "According to (a report by) X" and "As reported by X": intermediaries and the phrase
    each occupies."""
    found: list[tuple[RawVia, Span]] = []
    doc = sent.doc
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            name, carrier = _carrier_and_name(pobj)
            phrase = doc[tok.i : _np_end(pobj)]
            found.append((RawVia(name=name, cue=doc[tok.i : tok.i + 2], carrier=carrier), phrase))
        elif (
            tok.lemma_ in {"report", "quote", "cite", "tell", "say"}
            and tok.dep_ in {"advcl", "prep", "ccomp"}
            and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
        ):
            agent = _agent_of(tok)
            if agent is None:
                continue
            name, carrier = _carrier_and_name(agent)
            mark = next(c for c in tok.children if c.dep_ == "mark")
            phrase = doc[mark.i : _np_end(agent)]
            found.append((RawVia(name=name, cue=doc[mark.i : tok.i + 1], carrier=carrier), phrase))
    return found


def _np_end(tok: Token) -> int:
    core = _np_core(tok)
    return core.end if len(core) else tok.i + 1


def _carrier_and_name(pobj: Token) -> tuple[Span, Span | None]:
    """ "a report by CNN" -> (CNN, a report); "CNN" -> (CNN, None)."""
    if pobj.lemma_.lower() in REPORT_NOUNS:
        for prep in pobj.children:
            if prep.dep_ in {"prep", "agent"} and prep.lower_ in {"by", "from", "of"}:
                inner = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if inner is not None:
                    return _np_core(inner), pobj.doc[pobj.left_edge.i : pobj.i + 1]
        poss = next((c for c in pobj.children if c.dep_ == "poss"), None)
        if poss is not None:
            return _np_core(poss), pobj.doc[pobj.left_edge.i : pobj.i + 1]
    return _np_core(pobj), None


def _channel_for(verb: Token, exclude: Iterable[Span]) -> RawChannel | None:
    excluded = {i for s in exclude for i in range(s.start, s.end)}
    lemma = verb.lemma_.lower()
    holders = [verb]
    if verb.dep_ in {"advcl", "xcomp", "conj"}:
        holders.append(verb.head)
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ != "prep" or prep.i in excluded:
                continue
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            platform = PLATFORMS.get(pobj.lower_)
            if platform and prep.lower_ in {"on", "via", "in"} and pobj.pos_ == "PROPN":
                return RawChannel("social-post", verb.doc[prep.i : pobj.i + 1], platform)
            kind = CHANNEL_NOUNS.get(pobj.lemma_.lower())
            if kind:
                span = verb.doc[prep.i : pobj.i + 1]
                return RawChannel(kind, span)
    if lemma == "post":
        return RawChannel("social-post", verb.doc[verb.i : verb.i + 1])
    if lemma == "tweet":
        return RawChannel("social-post", verb.doc[verb.i : verb.i + 1], "Twitter")
    if lemma == "write":
        return RawChannel("writing", verb.doc[verb.i : verb.i + 1])
    return None


def _stated_time(verb: Token, times: list[Span], exclude: Iterable[Span]) -> Span | None:
    """The time expression governed by the cue verb outside the content: when it was said."""
    excluded = {i for s in exclude for i in range(s.start, s.end)}
    for span in times:
        if span.start < verb.sent.start or span.end > verb.sent.end:
            continue
        if any(i in excluded for i in range(span.start, span.end)):
            continue
        if span[0].lower_ in {"for", "since"}:
            continue
        node = span.root
        steps = 0
        while node.head != node and steps < 12:
            node = node.head
            steps += 1
            if node == verb or (verb.dep_ in {"advcl", "xcomp"} and node == verb.head):
                return span
    return None


def _hedges(content: Span) -> list[tuple[Span, Certainty]]:
    """Words in the content that weaken it (lexicon.HEDGE_WORDS and the phrases below)."""
    doc = content.doc
    found: list[tuple[Span, Certainty]] = []
    for tok in content:
        low = tok.lower_
        level = HEDGE_WORDS.get(low)
        start = tok.i
        if low == "certainly" and tok.i > 0 and doc[tok.i - 1].lower_ in {"almost", "nearly"}:
            level, start = "likely", tok.i - 1
        elif tok.lemma_.lower() in {"appear", "seem"} and any(
            c.dep_ == "xcomp" for c in tok.children
        ):
            level = "likely"  # "the troops appear to have withdrawn"
        elif low == "possible" and tok.dep_ == "acomp":
            level = "possible"  # "it is possible that ..."
        if level is None:
            continue
        if low in {"may", "might", "could", "must"} and tok.tag_ != "MD":
            continue
        found.append((doc[start : tok.i + 1], level))
    return found


def find_attributions(
    doc: Doc,
    model: CueModel | None = None,
    roles: Roles | None = None,
    stacked: CueModel | None = None,
) -> list[RawAttribution]:
    """All attributions in a parsed doc, in text order, with nesting and via chains.
    ``model`` decides which verbs are cues; None leaves it to the lexicons. With the role
    tagger's per-token ``roles`` and a ``stacked`` model, the two decide together."""
    quotes = quote_spans(doc)
    times = list(doc.spans[TIME_SPANS_KEY]) if TIME_SPANS_KEY in doc.spans else find_time_spans(doc)
    found: list[RawAttribution] = []
    for sent in doc.sents:
        found.extend(_sentence_attributions(sent, quotes, times, model, roles, stacked))
    taken = _tokens_of(a.content for a in found)
    found.extend(a for a in _line_attributions(doc) if a.content.start not in taken)
    if roles is not None:
        found.extend(tagged_attributions(doc, roles, found, times))
    found.sort(key=lambda a: (a.cue.start, a.content.start))
    _link_nesting(found)
    return found


TAGGED_MIN = 0.6  # the tagger's probability that makes a word part of a role
# A cue the parse proposed no candidate for needs a word the tagger is this sure of
# (chosen on the tenth of PolNeAR train the tagger never saw; docs/accuracy.md).
TAGGED_NEW_CUE = 0.8
TAGGED_MIN_CONTENT = 3  # tokens


def _role_runs(sent: Span, roles: Roles, role: int) -> list[tuple[int, int]]:
    """Maximal runs of tokens the tagger gives ``role``; punctuation inside a content run
    does not break it."""
    found: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    for tok in sent:
        if roles[tok.i][role] >= TAGGED_MIN:
            start = tok.i if start is None else start
            end = tok.i + 1
        elif start is not None and not (role == 2 and tok.is_punct and not _is_quote(tok)):
            found.append((start, end))
            start = None
    if start is not None:
        found.append((start, end))
    return found


def _nearest(runs: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The run closest to [start, end) that does not overlap it."""
    apart = [(s, e) for s, e in runs if e <= start or s >= end]
    if not apart:
        return None
    return min(apart, key=lambda r: r[0] - end if r[0] >= end else start - r[1])


def tagged_attributions(
    doc: Doc, roles: Roles, found: list[RawAttribution], times: Sequence[Span] = ()
) -> list[RawAttribution]:
    """Attributions the role tagger sees and the parse gave no candidate for (copulas,
    adjectives, fragments): a run of cue words outside every attribution found, with the
    nearest run of content words (at least three) and of source words in its sentence."""
    taken = _tokens_of(
        span
        for a in found
        for span in (a.cue, a.content, a.source, *(p for v in a.via for p in (v.cue, v.name)))
        if span is not None
    )
    extra: list[RawAttribution] = []
    for sent in doc.sents:
        # "according to X", "as reported by X": intermediaries, not cues
        taken |= _tokens_of(phrase for _, phrase in _via_phrases(sent))
        contents = [r for r in _role_runs(sent, roles, 2) if r[1] - r[0] >= TAGGED_MIN_CONTENT]
        for cue_start, cue_end in _role_runs(sent, roles, 0):
            if any(i in taken for i in range(cue_start, cue_end)):
                continue
            if max(roles[i][0] for i in range(cue_start, cue_end)) < TAGGED_NEW_CUE:
                continue
            where = _nearest(contents, cue_start, cue_end)
            if where is None:
                continue
            content = _trim(doc, *where)
            if len(content) == 0:
                continue
            sources = [
                r for r in _role_runs(sent, roles, 1) if r[1] <= where[0] or r[0] >= where[1]
            ]
            near = _nearest(sources, cue_start, cue_end)
            cue = doc[cue_start:cue_end]
            source = doc[near[0] : near[1]] if near is not None else None
            lemma = cue.root.lemma_.lower()
            kind, certainty = CUE_VERBS.get(lemma, ("attitude", "asserted"))
            exclude = [cue, content] + ([source] if source is not None else [])
            extra.append(
                RawAttribution(
                    cue=cue,
                    cue_lemma=lemma,
                    cue_kind=kind,
                    cue_certainty=certainty,
                    content=content,
                    style="indirect",
                    source=source,
                    stated=_stated_time(cue.root, list(times), exclude),
                    hedges=_hedges(content),
                )
            )
            taken.update(range(cue_start, cue_end))
            taken.update(range(content.start, content.end))
    return extra


def candidates(doc: Doc) -> Iterator[Candidate]:
    """Every verb and noun candidate the extractor puts to the cue decision, in text
    order (what :mod:`claimledger.training.train_cues` learns from)."""
    quotes = quote_spans(doc)
    for sent in doc.sents:
        via_tokens = _tokens_of(phrase for _, phrase in _via_phrases(sent))
        for tok in sent:
            if tok.i in via_tokens or _impersonal(tok) is not None:
                continue
            cand = _token_candidate(tok, quotes)
            if cand is not None:
                yield cand


def _tokens_of(spans: Iterable[Span]) -> set[int]:
    return {i for span in spans for i in range(span.start, span.end)}


def _token_candidate(tok: Token, quotes: list[Span]) -> Candidate | None:
    if tok.pos_ == "NOUN":
        return noun_candidate(tok, quotes)
    if tok.pos_ in {"VERB", "AUX"}:
        return verb_candidate(tok, quotes)
    return None


# "WALLACE: Let's start ...", "Pat Caddell: Voters Worried ..." (transcripts, headlines)
_SPEAKER_LINE = re.compile(
    r"^[ \t]*[\"“]?[ \t]*(?P<source>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*"
    r"(?P<cue>:)[ \t]+(?P<content>\S[^\n]*)$",
    re.MULTILINE,
)
# "“We deserve better.” ― Carla Sanchez" (quotes collected from readers or posts)
_DASH_LINE = re.compile(
    r"^[ \t]*(?P<content>[\"“][^\n]+[\"”])[ \t]*(?P<cue>[―—–]|--)[ \t]*"
    r"(?P<source>[A-Z][^\n]{0,60}?)[ \t.]*$",
    re.MULTILINE,
)
# Line labels that look like a speaker but are not: "UPDATE: ...", "Watch: ..."
LINE_LABELS = {
    "update",
    "updated",
    "note",
    "editor's note",
    "watch",
    "read",
    "related",
    "photo",
    "video",
    "source",
    "sources",
    "correction",
    "clarification",
    "q",
    "a",
    "live",
}


def _line_attributions(doc: Doc) -> list[RawAttribution]:
    """Attributions that the layout makes, not the grammar: a speaker's name and a colon
    opening a line (transcripts, "Name: claim" headlines) and a quote signed with a dash."""
    found: list[RawAttribution] = []
    text = doc.text
    for pattern, kind in ((_SPEAKER_LINE, "speaker-line"), (_DASH_LINE, "signed-quote")):
        for m in pattern.finditer(text):
            if m.group("source").lower() in LINE_LABELS:
                continue
            spans = {
                role: doc.char_span(m.start(role), m.end(role), alignment_mode="expand")
                for role in ("source", "cue", "content")
            }
            source, cue, content = spans["source"], spans["cue"], spans["content"]
            if source is None or cue is None or content is None:
                continue
            content = _trim(doc, content.start, content.end)
            if len(content) == 0 or any(t.pos_ in {"VERB", "AUX"} for t in source):
                continue
            found.append(
                RawAttribution(
                    cue=cue,
                    cue_lemma=cue.text,
                    cue_kind=kind,
                    cue_certainty="asserted",
                    content=content,
                    style="direct",
                    source=_trim(doc, source.start, source.end),
                    hedges=_hedges(content),
                )
            )
    return found


def _sentence_attributions(
    sent: Span,
    quotes: list[Span],
    times: list[Span],
    model: CueModel | None,
    roles: Roles | None = None,
    stacked: CueModel | None = None,
) -> list[RawAttribution]:
    vias = _via_phrases(sent)
    via_tokens = _tokens_of(phrase for _, phrase in vias)
    results: list[RawAttribution] = []
    for tok in sent:
        if tok.i in via_tokens:
            continue
        impersonal = _impersonal(tok)
        if impersonal is not None:
            results.append(impersonal)
            continue
        cand = _token_candidate(tok, quotes)
        if cand is None or not _is_cue(cand, model, roles, stacked):
            continue
        if cand.in_quote and (cand.source_tok is None or cand.source_tok.lower_ in FIRST_PERSON):
            # "“I think X,” he said": the speaker's own words, reported once, by "said"
            continue
        lemma, content, style, source_tok = cand.lemma, cand.content, cand.style, cand.source_tok
        if roles is not None and style != "direct":
            content = tagged_end(content, sent, roles, exclude=(tok.i, source_tok))
        more = _continuation(tok, content, quotes) if style == "direct" else None
        if cand.shape.startswith("noun:"):
            kind, certainty = "noun", NOUN_CUES.get(lemma, "asserted")
        else:
            kind, certainty = CUE_VERBS.get(lemma, ("attitude", "asserted"))
        if source_tok is not None:
            source: Span | None = _source_span(source_tok)
        elif cand.shape.startswith("noun:"):
            source = None
        else:
            source = _fallback_source(tok, content, vias)
        if source is not None and len(source) == 0:
            source = None
        cue = cand.cue()
        if roles is not None:
            cue = tagged_cue(cue, roles, [content] + ([source] if source is not None else []))
        exclude = [content, cue] + ([source] if source is not None else [])
        results.append(
            RawAttribution(
                cue=cue,
                cue_lemma=lemma,
                cue_kind=kind,
                cue_certainty=certainty,
                content=content,
                content_more=[more] if more is not None else [],
                style=style,
                source=source,
                stated=_stated_time(tok, times, exclude),
                channel=_channel_for(tok, exclude),
                hedges=_hedges(content),
            )
        )
    results = _drop_contained_duplicates(results)
    for via, phrase in vias:
        host = next(
            (r for r in results if not (r.content.start <= phrase.start < r.content.end)), None
        )
        if host is not None:
            host.via.insert(0, via)
            continue
        rest = _according_to_content(sent, phrase)
        if rest is None or via.cue is None:
            continue
        results.append(
            RawAttribution(
                cue=via.cue,
                cue_lemma="according to",
                cue_kind="according-to",
                cue_certainty="asserted",
                content=rest,
                style="according-to",
                source=via.name,
                stated=None,
                hedges=_hedges(rest),
            )
        )
    return results


def _clause_with(tok: Token, deps: set[str], word: str) -> Token | None:
    for c in tok.children:
        if c.dep_ in deps and any(m.lower_ == word and m.i < c.i for m in c.children):
            return c
    return None


def noun_candidate(tok: Token, quotes: list[Span]) -> Candidate | None:
    """ "his claim that thousands were killed", "questions about his health", "a plan to
    cut taxes": a noun with a that-clause, a to-clause or a content preposition. The source
    is the possessor, the "by"/"from" phrase, or the subject of the verb the noun is the
    object of ("critics raised questions about ..."), whose words then join the cue."""
    doc = tok.doc
    cue_end = None
    clause = _clause_with(tok, {"acl", "ccomp"}, "that")
    if clause is not None:
        shape = "noun:that"
    else:
        clause = _clause_with(tok, {"acl"}, "to")
        shape = "noun:to"
    if clause is not None:
        content = _trim(doc, clause.left_edge.i, clause.right_edge.i + 1)
    else:
        prep = _prep_content(tok)
        if prep is None:
            return None
        shape = f"noun:{prep[0].lower_}"
        cue_end = prep[0].i + 1
        content = prep[1]
    if len(content) == 0:
        return None
    lemma = tok.lemma_.lower()
    source_tok = next((c for c in tok.children if c.dep_ == "poss"), None)
    if source_tok is None:
        for prep_tok in tok.children:
            if prep_tok.dep_ == "prep" and prep_tok.lower_ in {"by", "from"}:
                source_tok = next((c for c in prep_tok.children if c.dep_ == "pobj"), None)
    cue_start = tok.i
    while cue_start > tok.left_edge.i and doc[cue_start - 1].dep_ in {"amod", "compound", "det"}:
        cue_start -= 1
    holder = tok.head if tok.dep_ in {"dobj", "attr"} and tok.head.pos_ in {"VERB", "AUX"} else None
    if holder is not None:
        if source_tok is None:
            source_tok = _subject_of(holder)
        if source_tok is None or source_tok.i < holder.i:
            cue_start = _cue_span(holder).start
    if source_tok is not None and content.start <= source_tok.i < content.end:
        source_tok = None
    lexicon = "noun" if lemma in NOUN_CUES and shape == "noun:that" else ""
    in_quote = _quote_containing(quotes, tok.i, tok.i + 1) is not None
    style: Style = "mixed" if any(_is_quote(t) for t in content) else "indirect"
    return Candidate(
        tok, lemma, shape, content, style, source_tok, in_quote, lexicon, cue_end, cue_start
    )


def _impersonal(tok: Token) -> RawAttribution | None:
    """ "It is believed that ..." and "The troops are believed to have withdrawn" — a
    hedged statement with no source, kept as such. In the second the content is in two
    parts: the subject and the to-clause."""
    lemma = tok.lemma_.lower()
    if lemma not in IMPERSONAL_CUES or tok.tag_ != "VBN":
        return None
    subj = next((c for c in tok.children if c.dep_ in {"nsubjpass", "expl"}), None)
    if subj is None or _agent_of(tok) is not None:
        return None
    more: list[Span] = []
    if subj.lower_ == "it":
        comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
        if comp is None:
            return None
        end = _extend_over_siblings(tok, comp.right_edge.i + 1)
        content = _trim(tok.doc, comp.left_edge.i, end)
    else:
        raised = next(
            (
                c
                for c in tok.children
                if c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children)
            ),
            None,
        )
        if raised is None or (subj.pos_ == "PRON" and subj.lower_ in FIRST_PERSON):
            return None
        content = tok.doc[subj.left_edge.i : subj.right_edge.i + 1]
        more = [_trim(tok.doc, raised.left_edge.i, raised.right_edge.i + 1)]
    cue = _cue_span(tok)
    level = IMPERSONAL_CUES[lemma]
    return RawAttribution(
        cue=cue,
        cue_lemma=lemma,
        cue_kind="impersonal",
        cue_certainty=level,
        content=content,
        style="unattributed",
        source=None,
        hedges=[h for part in (content, *more) for h in _hedges(part)],
        content_more=more,
    )


def _fallback_source(verb: Token, content: Span, vias: list[tuple[RawVia, Span]]) -> Span | None:
    """When the parser hung the subject elsewhere ("As reported by X, Commander Y, stated"),
    take the noun phrase between the last intermediary phrase and the cue verb."""
    doc = verb.doc
    sent = verb.sent
    start = sent.start
    for _, phrase in vias:
        if phrase.end <= verb.i:
            start = max(start, phrase.end)
    end = verb.i
    while end > start and doc[end - 1].dep_ in {"aux", "auxpass", "neg", "advmod"}:
        end -= 1
    if content.start < end and content.start >= start:
        return None
    if verb.tag_ == "VBG" or verb.dep_ in DEPENDENT_VERB_DEPS:
        return None  # "..., saying", "to tout": the words before are not its subject
    # not across a line break (headlines and datelines are run together into one sentence)
    for i in range(end - 1, start - 1, -1):
        if "\n" in doc[i].text:
            start = i + 1
            break
    # not an opening adverbial: "In a March 2016 meeting with the board, Trump said"
    first = doc[start] if start < end else None
    if first is not None and first.dep_ == "prep" and first.head.i >= end:
        start = max(start, first.right_edge.i + 1)
    span = _trim(doc, start, end)
    if len(span) == 0 or not any(t.pos_ in {"PROPN", "NOUN", "PRON"} for t in span):
        return None
    if len(span) > FALLBACK_MAX_TOKENS or any(
        t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"compound", "amod"} for t in span
    ):
        return None  # a clause, not a name the parser failed to attach
    return span


def _according_to_content(sent: Span, phrase: Span) -> Span | None:
    doc = sent.doc
    if phrase.start - sent.start <= 1:
        return _trim(doc, phrase.end, sent.end)
    before = _trim(doc, sent.start, phrase.start)
    after = _trim(doc, phrase.end, sent.end)
    return before if len(before) >= len(after) else after


def _drop_contained_duplicates(results: list[RawAttribution]) -> list[RawAttribution]:
    """Two cues sharing one content (a conjoined "said and added") keep the first."""
    kept: list[RawAttribution] = []
    for r in results:
        if any(k.content.start == r.content.start and k.content.end == r.content.end for k in kept):
            continue
        kept.append(r)
    return kept


def _link_nesting(found: list[RawAttribution]) -> None:
    """An attribution whose cue lies inside another's content is reported through it."""
    for i, inner in enumerate(found):
        best: int | None = None
        for j, outer in enumerate(found):
            inside = outer.content.start <= inner.cue.start and inner.cue.end <= outer.content.end
            if (
                i != j
                and inside
                and (best is None or len(found[best].content) > len(outer.content))
            ):
                best = j
        inner.parent = best


@Language.factory("claimledger_attributions", default_config={"learned": True, "profile": "fast"})
def make_attribution_component(
    nlp: Language, name: str, learned: bool, profile: str
) -> AttributionComponent:
    """spaCy factory: ``nlp.add_pipe("claimledger_attributions")`` after the parser.
    ``learned=False`` leaves the cue decision to the lexicons alone; ``profile="accurate"``
    adds the MiniLM role tagger to the decision (needs the ``accurate`` extra)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    model = load_cue_model() if learned else None
    if profile == "fast" or model is None:
        return AttributionComponent(model)
    from claimledger.nlp.roletagger import load_role_tagger

    stacked = load_cue_model(STACKED_FILE)
    if stacked is None:
        raise ModelMissingError(
            f"claimledger has no stacked cue model ({STACKED_FILE}); "
            "reinstall claimledger or run `make train-accurate`"
        )
    return AttributionComponent(model, load_role_tagger(), stacked)


class AttributionComponent:
    """Sets ``doc._.claimledger_attributions``."""

    def __init__(
        self,
        model: CueModel | None = None,
        tagger: RoleTagger | None = None,
        stacked: CueModel | None = None,
    ) -> None:
        self.model = model
        self.tagger = tagger
        self.stacked = stacked
        if not Doc.has_extension(ATTRIBUTIONS_ATTR):
            Doc.set_extension(ATTRIBUTIONS_ATTR, default=None)

    def __call__(self, doc: Doc) -> Doc:
        roles = self.tagger.token_probabilities(doc) if self.tagger is not None else None
        doc._.set(ATTRIBUTIONS_ATTR, find_attributions(doc, self.model, roles, self.stacked))
        return doc
