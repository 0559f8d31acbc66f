"""Intermediaries: "According to (a report by) X" and "As reported by X" — who passed a
statement on, the carrier it came in, and the content an "according to" phrase governs
when no cue verb does."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from claimledger.nlp.attribution.raw import RawVia
from claimledger.nlp.attribution.syntax import agent_of, np_core, trim
from claimledger.nlp.attribution.vocabulary import (
    AS_VERBS,
    CARRIER_PREPS,
    NAMING_VERBS,
    REPORT_NOUNS,
)


def via_phrases(sent: Span) -> list[tuple[RawVia, Span]]:
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
            end = _np_end(pobj)
            if name.end == end:
                # "Anna Petrova, a spokeswoman for the Red Cross," and "the agency, known
                # by its Turkish initials as AFAD": who it is and the name it goes by
                end = _described_end(pobj, end, sent.end)
                name = trim(doc, name.start, end)
            phrase = doc[tok.i : end]
            found.append((RawVia(name=name, cue=doc[tok.i : tok.i + 2], carrier=carrier), phrase))
        elif (
            tok.lemma_ in AS_VERBS
            and tok.dep_ in {"advcl", "prep", "ccomp"}
            and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
        ):
            agent = agent_of(tok)
            if agent is None:
                continue
            name, carrier = _carrier_and_name(agent)
            mark = next(c for c in tok.children if c.dep_ == "mark")
            phrase = doc[mark.i : _np_end(agent)]
            found.append((RawVia(name=name, cue=doc[mark.i : tok.i + 1], carrier=carrier), phrase))
    return found


def _np_end(tok: Token) -> int:
    core = np_core(tok)
    return core.end if len(core) else tok.i + 1


def _described_end(tok: Token, end: int, limit: int) -> int:
    """Where a name's closed apposition (", a spokeswoman for the Red Cross,") or naming
    clause (", known by its initials as AFAD") ends, if it has one; else ``end``."""
    doc = tok.doc
    for c in tok.rights:
        if c.i < end:
            continue
        if c.dep_ == "punct":
            continue
        stop = c.right_edge.i + 1
        naming = c.lemma_.lower() in NAMING_VERBS and any(
            p.dep_ == "prep" and p.lower_ == "as" for p in c.children
        )
        # not "According to Reuters, Ukraine's commander, Oleksandr Syrskyi, said": an
        # apposition right before the verb is the verb's subject the parser hung here
        closed = (
            c.dep_ == "appos"
            and stop + 1 < limit
            and doc[stop].text == ","
            and doc[stop + 1].pos_ not in {"VERB", "AUX"}
        )
        if (c.dep_ in {"acl", "relcl", "appos"} and naming) or closed:
            end = stop
            continue
        break
    return end


def _carrier_and_name(pobj: Token) -> tuple[Span, Span | None]:
    """ "a report by CNN" -> (CNN, a report); "data provided by the ministry" -> (the
    ministry, data); "CNN" -> (CNN, None)."""
    if pobj.lemma_.lower() in REPORT_NOUNS:
        carrier = pobj.doc[pobj.left_edge.i : pobj.i + 1]
        for prep in pobj.children:
            if prep.dep_ in {"prep", "agent"} and prep.lower_ in CARRIER_PREPS:
                inner = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if inner is not None:
                    return np_core(inner), carrier
            if prep.dep_ == "acl" and prep.tag_ == "VBN":
                agent = agent_of(prep)  # "figures released by the ministry"
                if agent is not None:
                    return np_core(agent), carrier
        poss = next((c for c in pobj.children if c.dep_ == "poss"), None)
        if poss is not None:
            return np_core(poss), carrier
    return np_core(pobj), None


def according_to_content(
    sent: Span, phrase: Span, vias: list[Span], reported: list[Span]
) -> tuple[Span, list[Span]] | None:
    """What an "according to" (or "as reported by") phrase that no cue verb took governs,
    and any part of it after the phrase. Opening the sentence, it governs the rest of it.
    After its clause ("At least 40 died, according to officials, as rebels advanced"), it
    governs the words before it back to the sentence's start or the previous such phrase
    ("A, according to X, and B, according to Y"), not the clause that follows. Inside its
    clause ("At least 40 people, according to officials, were killed") it governs both
    sides. ``vias``: the sentence's intermediary phrases; ``reported``: contents of cues in
    the sentence, a phrase inside one of which governs only words of that content."""
    doc = sent.doc
    start, end = sent.start, sent.end
    for content in reported:
        if content.start <= phrase.start and phrase.end <= content.end:
            start, end = max(start, content.start), min(end, content.end)
    for other in vias:
        if other.end <= phrase.start:
            start = max(start, other.end)
    if all(
        t.is_punct or t.is_space or t.dep_ in {"cc", "advmod"} for t in doc[start : phrase.start]
    ):
        rest = _trim_conjunction(doc, phrase.end, _next_via(vias, phrase, end))
        return (rest, []) if len(rest) else None
    before = _trim_conjunction(doc, start, phrase.start)
    if len(before) == 0:
        return None
    head = phrase.root.head
    while head.pos_ not in {"VERB", "AUX"} and head.head != head:
        head = head.head  # "Some 60 villagers, according to X, were evacuated"
    if head.i >= phrase.end and head.i < end:
        # a parenthetical inside its clause: the clause goes on after it
        after = trim(doc, phrase.end, min(end, head.right_edge.i + 1))
        return before, [after] if len(after) else []
    return before, []


def _next_via(vias: list[Span], phrase: Span, end: int) -> int:
    return min([other.start for other in vias if other.start >= phrase.end] + [end])


def _trim_conjunction(doc: Doc, start: int, end: int) -> Span:
    """The words from ``start`` to ``end`` without edge punctuation or an opening "and"."""
    span = trim(doc, start, end)
    while len(span) and span[0].dep_ == "cc":
        span = trim(span.doc, span.start + 1, span.end)
    return span
