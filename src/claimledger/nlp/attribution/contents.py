"""What a cue introduces: a clausal complement, an adjacent or resumed quote, a direct
object, or the object of a content preposition, with where each one ends."""

from __future__ import annotations

from spacy.tokens import Span, Token

from claimledger.nlp.attribution.quotes import (
    is_quote,
    quote_containing,
    quote_ending_by,
    quote_starting_after,
)
from claimledger.nlp.attribution.syntax import cue_lemma, cue_span, is_relative, subject_of, trim
from claimledger.nlp.attribution.vocabulary import (
    CONTENT_PREPS,
    CONTRAST_MARKS,
    COUNT_VERB_PREPS,
    COUNT_VERBS,
    OBJECT_PREPS,
    SPEECH_VERBS,
)
from claimledger.records import Style

# Entity labels of the parser's named-entity recogniser that mark a time, not a content.
TIME_ENTITIES = {"DATE", "TIME"}


def content_for(tok: Token, quotes: list[Span]) -> tuple[Span, Style] | None:
    """The content a reporting verb introduces: its clausal complement, or an adjacent quote."""
    doc = tok.doc
    sent = tok.sent
    comps = [c for c in tok.children if c.dep_ in {"ccomp", "xcomp", "parataxis"}]
    comps = [c for c in comps if c.pos_ in {"VERB", "AUX"} or c.dep_ == "ccomp"]
    # "“A,” he said" (and "“A,” he said, “B.”": the resumed quote is found later)
    quote_before = quote_ending_by(quotes, tok.i)
    if quote_before is not None and quote_before.start < sent.start - 40:
        quote_before = None
    if quote_before is not None and not all(
        doc[i].is_punct or doc[i].head == tok or doc[i].head.head == tok
        for i in range(quote_before.end, tok.i)
    ):
        quote_before = None
    quote_after = quote_starting_after(quotes, tok.i)
    if quote_after is not None and not (
        quote_after.start <= tok.i + 3 and quote_after.start < sent.end
    ):
        quote_after = None
    if quote_after is not None and all(
        doc[i].is_punct or doc[i].dep_ == "prt" for i in range(tok.i + 1, quote_after.start)
    ):
        return (quote_before or quote_after), "direct"
    if comps:
        comp = max(comps, key=lambda c: c.right_edge.i - c.left_edge.i)
        start, end = comp.left_edge.i, comp.right_edge.i + 1
        if comp.dep_ == "ccomp" and comp.i > tok.i:
            # "estimates that 40% are men, 20% are women, ...": a list of clauses
            for other in comps:
                if other.dep_ == "ccomp" and other.i > tok.i:
                    start = min(start, other.left_edge.i)
                    end = max(end, other.right_edge.i + 1)
        obj = next((c for c in tok.children if c.dep_ in {"dobj", "dative"}), None)
        if comp.dep_ == "xcomp" and obj is not None and tok.i < obj.i < start:
            start = obj.left_edge.i  # "urged Republicans to join": whom, and to do what
        elif _comma_splice(tok, obj or _prep_object(tok), comp):
            # "learned of 248 cases, six victims were found dead"
            start = (obj or _prep_object(tok) or comp).left_edge.i
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
    before = clause_before(tok)
    if before is not None:
        return before, "mixed" if any(is_quote(t) for t in before) else "indirect"
    return None


def clause_before(tok: Token) -> Span | None:
    """ "The toll is at 2,719, the minister said on Tuesday": the clause before a reporting
    clause the parser hung on it as a conjunct (or parataxis) instead of taking the
    clause as the verb's complement."""
    subject = subject_of(tok)
    head = tok.head
    if (
        tok.dep_ not in {"conj", "parataxis"}
        or tok.lemma_.lower() not in SPEECH_VERBS
        or subject is None
        or not head.i < subject.i < tok.i
        or any(c.dep_ == "cc" for c in tok.children)
        or tok.doc[subject.left_edge.i - 1].text != ","
        or cue_span(tok).start != subject.right_edge.i + 1
    ):
        return None
    span = trim(tok.doc, head.left_edge.i, subject.left_edge.i)
    return span if len(span) else None


def _prep_object(tok: Token) -> Token | None:
    """ "learned of 248 cases": the object of a content preposition right after the verb."""
    prep = next((c for c in tok.rights if c.dep_ == "prep"), None)
    if prep is None or prep.i != tok.i + 1 or prep.lower_ not in OBJECT_PREPS:
        return None
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def _comma_splice(tok: Token, obj: Token | None, comp: Token) -> bool:
    """ "Experts learned of 248 cases, six victims were found dead": an object, a comma and
    a clause with a subject of its own, both what was learned."""
    if obj is None or comp.dep_ != "ccomp" or subject_of(comp) is None:
        return False
    if obj.ent_type_ in TIME_ENTITIES:
        return False  # "said on Tuesday, January 21, that ...": when, not what
    left = next(t for t in comp.subtree if not t.is_punct).i
    obj_end = [t for t in obj.subtree if not t.is_punct][-1].i
    return tok.i < obj.i < left and obj_end + 2 == left and tok.doc[left - 1].text == ","


def with_tails(tok: Token, content: Span) -> tuple[Span, list[Span]]:
    """What a cue verb's content runs on to after the verb: a second complement ("A, the
    governor said, bringing the tally to 109"), a participle or a "with" phrase that
    carries a figure ("..., bringing the toll to 50,021", "..., with the figure expected
    to exceed 3,000"), a contrasting clause with a figure and no speaker of its own
    ("..., while the second fire burned 14,117 acres"). The time of saying in between
    ("said on Tuesday") is never part of it. Returns the content, run on where the tail
    follows it, and the tail as a part of its own where it does not."""
    doc = tok.doc
    after = max(tok.i + 1, content.end)
    first = last = None
    for c in tok.rights:
        if c.i < after or c.dep_ == "punct" or (last is None and _is_time(c)):
            continue
        if not _is_tail(c):
            break
        first = c.left_edge.i if first is None else first
        last = c.right_edge.i + 1
    if first is None or last is None:
        rest = _rest_of_host(tok, content)
        return content, [rest] if rest is not None else []
    if content.start > tok.i and all(t.is_punct or t.is_space for t in doc[content.end : first]):
        return trim(doc, content.start, last), []
    tail = trim(doc, first, last)
    return content, [tail] if len(tail) else []


def _rest_of_host(tok: Token, content: Span) -> Span | None:
    """ "A, Graham said, since B": where the parser hung the reporting clause inside the
    clause it reports (the content found by ``clause_before``), the rest of that clause
    after the reporting clause."""
    head = tok.head
    if tok.dep_ not in {"conj", "parataxis"} or not content.start <= head.i < content.end:
        return None
    rest = [c for c in head.rights if c.i > tok.right_edge.i and c.dep_ != "punct"]
    if not rest:
        return None
    span = trim(tok.doc, rest[0].left_edge.i, rest[-1].right_edge.i + 1)
    return span if len(span) else None


def _is_tail(c: Token) -> bool:
    if c.dep_ == "ccomp":
        return True
    if not any(t.like_num and t.tag_ == "CD" for t in c.subtree) or cue_lemma(c) is not None:
        return False
    if c.dep_ == "prep":
        return c.lower_ == "with"
    if c.dep_ not in {"advcl", "conj"}:
        return False
    contrast = any(m.dep_ == "mark" and m.lower_ in CONTRAST_MARKS for m in c.children)
    return contrast or (c.tag_ == "VBG" and subject_of(c) is None)


def _is_time(tok: Token) -> bool:
    """ "on Tuesday", "Monday", "last week": when something was said."""
    if tok.ent_type_ in TIME_ENTITIES:
        return True
    pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    return tok.dep_ == "prep" and pobj is not None and pobj.ent_type_ in TIME_ENTITIES


def continuation(tok: Token, first: Span, quotes: list[Span]) -> Span | None:
    """ "“A,” he said in an interview. “B.”", "“A,” he said, “B.”", or B opening the next
    paragraph: the quote that resumes right after the cue's clause belongs to the same
    speaker, as long as nothing else is attributed in between."""
    doc = tok.doc
    after = quote_starting_after(quotes, max(tok.i, first.end))
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
    if obj.i < tok.i and is_relative(obj):
        return _antecedent_clause(tok, obj)
    if tok.lemma_.lower() not in COUNT_VERBS and any(
        c.dep_ in {"advcl", "conj"} and cue_lemma(c) is not None for c in tok.children
    ):
        # "praised their efforts, saying “...”": the speech verb carries the content (not
        # "recorded 41 more deaths, highlighting ...": the count is what was recorded)
        return None
    end = obj.right_edge.i + 1
    for c in tok.rights:
        if c.i <= obj.i:
            continue
        if c.dep_ in {"oprd", "xcomp", "ccomp", "acomp"} or (
            c.dep_ == "prep" and c.lower_ in OBJECT_PREPS and c.i == end
        ):
            end = max(end, c.right_edge.i + 1)
        elif c.dep_ == "prep" and c.lower_ in COUNT_VERB_PREPS.get(tok.lemma_.lower(), ()):
            # "put the number of flood deaths outside the county at 22"
            end = max(end, c.right_edge.i + 1)
        elif c.dep_ == "dobj" or (c.dep_ == "conj" and _counted_conjunct(c)):
            # "identified the use of bombs in cities and at least five instances of ...",
            # "noted two fatalities and 15 people wounded": more of what was noted
            end = max(end, c.right_edge.i + 1)
    span = trim(tok.doc, obj.left_edge.i, end)
    if len(span) == 0:
        return None
    style: Style = "mixed" if any(is_quote(t) for t in span) else "indirect"
    return span, style


def _antecedent_clause(tok: Token, pronoun: Token) -> tuple[Span, Style] | None:
    """ "The toll rose to 86, which the ministry reported", "officials counted 212 bodies,
    which the governor confirmed": what the relative pronoun stands for is what was
    reported, the clause before the relative clause (from the start of the clause that
    holds the antecedent)."""
    if tok.dep_ not in {"relcl", "advcl"} or tok.head.i > pronoun.i:
        return None
    host = tok.head
    while host.pos_ not in {"VERB", "AUX"} and host.head != host:
        host = host.head
    span = trim(tok.doc, host.left_edge.i, tok.left_edge.i)
    if len(span) == 0 or span.start > host.i:
        return None
    return span, "mixed" if any(is_quote(t) for t in span) else "indirect"


def _counted_conjunct(c: Token) -> bool:
    """A conjunct clause whose subject is counted and whose verb reports nothing: "15
    people wounded" after "noted two fatalities and"."""
    subject = subject_of(c)
    return (
        subject is not None
        and cue_lemma(c) is None
        and any(t.dep_ == "nummod" or t.like_num for t in subject.subtree)
    )


def prep_content(tok: Token) -> tuple[Token, Span] | None:
    """ "She talked about the economy", "He called for a recount": the object of the
    first content preposition after the verb, with that preposition; never a time ("said
    on Tuesday")."""
    for prep in tok.rights:
        if prep.dep_ != "prep" or prep.lower_ not in CONTENT_PREPS:
            continue
        pobj = next((c for c in prep.children if c.dep_ in {"pobj", "pcomp"}), None)
        if pobj is None or pobj.ent_type_ in TIME_ENTITIES:
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
