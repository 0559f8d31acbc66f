"""Intermediaries: "According to (a report by) X" and "As reported by X" — who passed a
statement on, the carrier it came in, and the content an "according to" phrase governs
when no cue verb does."""

from __future__ import annotations

from spacy.tokens import Span, Token

from claimledger.nlp.attribution.raw import RawVia
from claimledger.nlp.attribution.syntax import agent_of, np_core, trim
from claimledger.nlp.attribution.vocabulary import AS_VERBS, CARRIER_PREPS, REPORT_NOUNS


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
            phrase = doc[tok.i : _np_end(pobj)]
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


def _carrier_and_name(pobj: Token) -> tuple[Span, Span | None]:
    """ "a report by CNN" -> (CNN, a report); "CNN" -> (CNN, None)."""
    if pobj.lemma_.lower() in REPORT_NOUNS:
        for prep in pobj.children:
            if prep.dep_ in {"prep", "agent"} and prep.lower_ in CARRIER_PREPS:
                inner = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if inner is not None:
                    return np_core(inner), pobj.doc[pobj.left_edge.i : pobj.i + 1]
        poss = next((c for c in pobj.children if c.dep_ == "poss"), None)
        if poss is not None:
            return np_core(poss), pobj.doc[pobj.left_edge.i : pobj.i + 1]
    return np_core(pobj), None


def according_to_content(sent: Span, phrase: Span) -> Span | None:
    """What an "according to" phrase that no cue verb took governs: the rest of the
    sentence after it when it opens the sentence, else the longer side of it."""
    doc = sent.doc
    if phrase.start - sent.start <= 1:
        return trim(doc, phrase.end, sent.end)
    before = trim(doc, sent.start, phrase.start)
    after = trim(doc, phrase.end, sent.end)
    return before if len(before) >= len(after) else after
