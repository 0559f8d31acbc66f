"""Candidates and the cue decision. Every verb or noun with something to attribute is a
:class:`Candidate` (its content and subject from the parse, no lexicon consulted); the
learned cue model, the lexicons, or the model stacked with the role tagger decide which
candidates are cues."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from claimledger.nlp.attribution.contents import content_for, object_content, prep_content
from claimledger.nlp.attribution.intermediaries import via_phrases
from claimledger.nlp.attribution.quotes import is_quote, quote_containing, quote_spans
from claimledger.nlp.attribution.roles import Roles
from claimledger.nlp.attribution.speakers import impersonal
from claimledger.nlp.attribution.syntax import (
    agent_of,
    controller,
    cue_lemma,
    cue_span,
    subject_of,
    tokens_of,
    trim,
)
from claimledger.nlp.attribution.vocabulary import (
    COUNT_VERB_PREPS,
    COUNT_VERBS,
    CUE_VERBS,
    NAMING_VERBS,
    NON_SPEAKERS,
    NOUN_CUES,
    OBJECT_CUES,
    PREDICATE_CUES,
    SOURCE_PREPS,
    SPEECH_VERBS,
)
from claimledger.nlp.cuemodel import CueModel, cue_features, tagger_features
from claimledger.records import Style


@dataclass
class Candidate:
    """A verb with something to attribute, before anyone decides it is a cue."""

    tok: Token
    lemma: str
    shape: str  # "complement" (a clause or adjacent quote), "object", "prep:X", "predicate"
    content: Span
    style: Style
    source_tok: Token | None
    in_quote: bool
    lexicon: str  # the rule lexicon that lists it: "cue:<kind>", "object" or ""
    cue_end: int | None = None  # the cue runs to here: "called for"
    cue_start: int | None = None  # a noun's cue starts here: "raised questions about"

    def cue(self) -> Span:
        if self.cue_start is None:
            return cue_span(self.tok, self.cue_end)
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
    listed = cue_lemma(tok)
    shape = "complement"
    found = content_for(tok, quotes)
    if found is None:
        shape = "object"
        found = object_content(tok)
    cue_end = None
    if found is None:
        prep = prep_content(tok)
        predicate = None if prep is not None else _predicate_cue(tok)
        if predicate is not None:
            prep = predicate  # "is aware of 108 cases"
            lemma = next(c for c in tok.children if c.dep_ == "acomp").lemma_.lower()
        if prep is None or (prep[0].lower_ == "as" and lemma in NAMING_VERBS):
            return None  # "known as AFAD" gives a name, not a statement
        shape = "predicate" if predicate is not None else f"prep:{prep[0].lower_}"
        cue_end = prep[0].i + 1
        found = (prep[1], "indirect")
    assert found is not None
    if shape == "complement":
        lexicon = f"cue:{CUE_VERBS[listed][0]}" if listed is not None else ""
    elif shape == "object":
        lexicon = "object" if lemma in OBJECT_CUES else ""
    else:
        lexicon = "predicate" if shape == "predicate" else ""
    content, style = found
    source_tok = subject_of(tok) or agent_of(tok) or controller(tok)
    if source_tok is not None and content.start <= source_tok.i < content.end:
        source_tok = None
    in_quote = quote_containing(quotes, tok.i, tok.i + 1) is not None
    return Candidate(tok, lemma, shape, content, style, source_tok, in_quote, lexicon, cue_end)


def _predicate_cue(tok: Token) -> tuple[Token, Span] | None:
    """ "The UN is also aware of 108 cases": a copula with a listed adjective and its
    preposition, and the preposition's object as the content."""
    adj = next((c for c in tok.children if c.dep_ == "acomp"), None)
    if adj is None or tok.lemma_.lower() != "be":
        return None
    preps = PREDICATE_CUES.get(adj.lemma_.lower(), set())
    for prep in adj.rights:
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if prep.dep_ == "prep" and prep.lower_ in preps and pobj is not None:
            span = trim(tok.doc, pobj.left_edge.i, pobj.right_edge.i + 1)
            return (prep, span) if len(span) else None
    return None


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
        content = trim(doc, clause.left_edge.i, clause.right_edge.i + 1)
    else:
        prep = prep_content(tok)
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
            if prep_tok.dep_ == "prep" and prep_tok.lower_ in SOURCE_PREPS:
                source_tok = next((c for c in prep_tok.children if c.dep_ == "pobj"), None)
    cue_start = tok.i
    while cue_start > tok.left_edge.i and doc[cue_start - 1].dep_ in {"amod", "compound", "det"}:
        cue_start -= 1
    holder = tok.head if tok.dep_ in {"dobj", "attr"} and tok.head.pos_ in {"VERB", "AUX"} else None
    if holder is not None:
        if source_tok is None:
            source_tok = subject_of(holder)
        if source_tok is None or source_tok.i < holder.i:
            cue_start = cue_span(holder).start
    if source_tok is not None and content.start <= source_tok.i < content.end:
        source_tok = None
    lexicon = "noun" if lemma in NOUN_CUES and shape == "noun:that" else ""
    in_quote = quote_containing(quotes, tok.i, tok.i + 1) is not None
    style: Style = "mixed" if any(is_quote(t) for t in content) else "indirect"
    return Candidate(
        tok, lemma, shape, content, style, source_tok, in_quote, lexicon, cue_end, cue_start
    )


def token_candidate(tok: Token, quotes: list[Span]) -> Candidate | None:
    if tok.pos_ == "NOUN":
        return noun_candidate(tok, quotes)
    if tok.pos_ in {"VERB", "AUX"}:
        return verb_candidate(tok, quotes)
    return None


def is_cue(
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
    if _no_speaker(cand):
        return False
    if cand.shape == "predicate":
        return _keeps_count(cand)
    if cand.shape == "object" and _counts(cand) and _keeps_count(cand):
        return True
    if (
        cand.shape == "complement"
        and cand.lemma in SPEECH_VERBS
        and cand.source_tok is not None
        and (
            (tok.dep_ == "ccomp" and tok.head.lemma_.lower() in SPEECH_VERBS)
            # "“The World Health Organization ... report that 700 people have been
            # killed,” he said": a named body's figure inside the speaker's quote
            or (
                cand.in_quote
                and cand.source_tok.pos_ == "PROPN"
                and any(t.tag_ == "CD" for t in cand.content)
            )
        )
    ):
        return True
    if model is not None and roles is not None and stacked is not None:
        base = model.probability(cand.features())
        dense = tagger_features(base, roles, cand.cue(), cand.content, cand.source_tok)
        return stacked.accepts((), dense)
    if model is not None:
        return model.accepts(cand.features())
    return bool(cand.lexicon)


def _counts(cand: Candidate) -> bool:
    """A count verb, or one that counts with its preposition ("put ... at 22")."""
    if cand.lemma in COUNT_VERBS:
        return True
    preps = COUNT_VERB_PREPS.get(cand.lemma, set())
    return any(
        c.dep_ == "prep" and c.lower_ in preps and any(t.tag_ == "CD" for t in c.subtree)
        for c in cand.tok.children
    )


def _keeps_count(cand: Candidate) -> bool:
    """ "The ministry recorded 41 more deaths", "the UN is aware of 108 cases": a count verb
    or predicate cue is a cue when a named or described speaker (not a counted group: "12
    hospitals recorded ...") gives a figure."""
    source = cand.source_tok
    if source is None or source.pos_ not in {"NOUN", "PROPN", "PRON"}:
        return False
    if cand.tok.is_title and cand.tok.i != cand.tok.sent.start:
        return False  # a headline's word: "Russia Launches Record 728 Drones"
    if any(c.dep_ == "nummod" for c in source.children):
        return False
    return any(t.tag_ == "CD" for t in cand.content)


def _no_speaker(cand: Candidate) -> bool:
    """ "The floods have claimed 30 lives": an event or a tally as the subject of a cue
    that needs a speaker."""
    source = cand.source_tok
    if source is None:
        return False
    # a capitalised first word keeps its plural as its lemma: "Wildfires in Los Angeles"
    forms = {source.lemma_.lower(), source.lower_, source.lower_.removesuffix("s")}
    if not forms & NON_SPEAKERS:
        return False
    if source.pos_ != "NOUN" and not (source.pos_ == "PROPN" and source.i == source.sent.start):
        return False  # a proper name is a name: "the Disaster Management Presidency"
    if any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in source.children) and any(
        c.dep_ == "prep" and c.lower_ == "of" for c in source.children
    ):
        return False  # "a number of lawmakers said": people, counted
    return CUE_VERBS.get(cand.lemma, ("say", "asserted"))[0] != "indicate"


def candidates(doc: Doc) -> Iterator[Candidate]:
    """Every verb and noun candidate the extractor puts to the cue decision, in text
    order (what :mod:`claimledger.training.train_cues` learns from)."""
    quotes = quote_spans(doc)
    for sent in doc.sents:
        via_tokens = tokens_of(phrase for _, phrase in via_phrases(sent))
        for tok in sent:
            if tok.i in via_tokens or impersonal(tok) is not None:
                continue
            cand = token_candidate(tok, quotes)
            if cand is not None:
                yield cand
