"""What a cue introduces: a clausal complement, an adjacent or resumed quote, a direct
object, or the object of a content preposition, with where each one ends."""

from __future__ import annotations

from spacy.tokens import Span, Token

from claimledger.nlp.attribution.quotes import is_quote, quote_containing
from claimledger.nlp.attribution.syntax import cue_lemma, subject_of, trim
from claimledger.nlp.attribution.vocabulary import CONTENT_PREPS, CONTRAST_MARKS, OBJECT_PREPS
from claimledger.records import Style


def content_for(tok: Token, quotes: list[Span]) -> tuple[Span, Style] | None:
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
        q = quote_containing(quotes, start, end)
        if q is not None and not (q.start <= tok.i < q.end):
            return q, "direct"
        end = _cut_other_reports(comp, end)
        if start > tok.i:
            end = extend_over_siblings(tok, end)
        span = trim(doc, start, end)
        if len(span) == 0:
            return None
        style: Style = "mixed" if any(is_quote(t) for t in span) else "indirect"
        return span, style
    if quote_before is not None:
        return quote_before, "direct"
    return None


def continuation(tok: Token, first: Span, quotes: list[Span]) -> Span | None:
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
        if t != tok and not (after.start <= t.i < after.end) and cue_lemma(t) is not None:
            return None
    if any(cue_lemma(t) is not None for t in doc[after.end : after.sent.end]):
        return None
    return after


def object_content(tok: Token) -> tuple[Span, Style] | None:
    """ "Trump called half of his supporters “deplorables”": the direct object (with a
    predicate after it) of a verb that attributes by naming what it is about."""
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is None:
        return None
    if any(c.dep_ in {"advcl", "conj"} and cue_lemma(c) is not None for c in tok.children):
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
    span = trim(tok.doc, obj.left_edge.i, end)
    if len(span) == 0:
        return None
    style: Style = "mixed" if any(is_quote(t) for t in span) else "indirect"
    return span, style


def prep_content(tok: Token) -> tuple[Token, Span] | None:
    """ "She talked about the economy", "He called for a recount": the object of the
    first content preposition after the verb, with that preposition."""
    for prep in tok.rights:
        if prep.dep_ != "prep" or prep.lower_ not in CONTENT_PREPS:
            continue
        pobj = next((c for c in prep.children if c.dep_ in {"pobj", "pcomp"}), None)
        if pobj is None:
            continue
        span = trim(tok.doc, pobj.left_edge.i, pobj.right_edge.i + 1)
        if len(span):
            return prep, span
        return None
    return None


def _cut_other_reports(comp: Token, end: int) -> int:
    """ "X said A, while Y said B": B is Y's, not part of what X said."""
    for child in comp.rights:
        if child.dep_ not in {"advcl", "conj"}:
            continue
        contrast = any(
            c.dep_ in {"mark", "cc"} and c.lower_ in CONTRAST_MARKS for c in child.children
        ) or comp.doc[child.left_edge.i - 1].lower_ in (CONTRAST_MARKS)
        if contrast and cue_lemma(child) is not None and subject_of(child) is not None:
            return min(end, child.left_edge.i)
    return end


def extend_over_siblings(tok: Token, end: int) -> int:
    """A complement the parser cut short ("believe that A is related to B, C, and D" with C
    and D hung on the cue verb) runs on to the cue's later objects and conjuncts."""
    for child in tok.rights:
        if child.i < end:
            continue
        if child.dep_ == "conj" and subject_of(child) is not None:
            break  # "agreed that A, but he said B": a new clause of its own
        if child.dep_ in {"dobj", "conj", "cc"} or (child.dep_ == "punct" and child.text == ","):
            end = max(end, child.right_edge.i + 1)
        else:
            break
    return end
