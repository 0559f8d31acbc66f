"""How, when and how surely something was said: the channel of a statement ("in an
interview", "posted on Telegram"), the time it was made, and the hedges in its content."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from claimledger.nlp.attribution.raw import RawChannel
from claimledger.nlp.attribution.syntax import np_core
from claimledger.nlp.attribution.vocabulary import (
    AUDIENCE_PREPS,
    AUDIENCE_VERBS,
    CHANNEL_NOUNS,
    CHANNEL_VERBS,
    DURATION_PREPS,
    HEDGE_MODALS,
    HEDGE_WORDS,
    PLATFORM_PREPS,
    PLATFORMS,
    PREDICATE_HEDGES,
    QUALIFIED_HEDGES,
    RAISING_HEDGES,
)
from claimledger.nlp.time.component import spans_starting_in
from claimledger.records import Certainty


def channel_for(verb: Token, exclude: Iterable[Span]) -> RawChannel | None:
    """The platform or occasion a cue verb's prepositions name ("posted on Telegram",
    "stated during an interview"), else the channel the verb itself names ("tweeted")."""
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
            if platform and prep.lower_ in PLATFORM_PREPS and pobj.pos_ == "PROPN":
                return RawChannel("social-post", verb.doc[prep.i : pobj.i + 1], platform)
            kind = CHANNEL_NOUNS.get(pobj.lemma_.lower())
            if kind:
                span = verb.doc[prep.i : pobj.i + 1]
                return RawChannel(kind, span)
    named = CHANNEL_VERBS.get(lemma)
    if named is not None:
        kind, platform = named
        return RawChannel(kind, verb.doc[verb.i : verb.i + 1], platform)
    return None


def audience_of(verb: Token, exclude: Iterable[Span]) -> Span | None:
    """Whom a statement was made to: the one told ("told the Daily Courier"), spoken to
    ("said to Reuters", "Speaking to Radio Meridian, the envoy said"), or interviewed with
    ("in an interview with CNN"). Outside the content; None when no one is named."""
    excluded = {i for s in exclude for i in range(s.start, s.end)}
    holders = [verb] + [c for c in verb.children if c.dep_ == "advcl" and c.tag_ == "VBG"]
    for holder in holders:
        for c in holder.children:
            if c.i in excluded:
                continue
            if c.dep_ in {"dative", "dobj"} and holder.lemma_.lower() in AUDIENCE_VERBS:
                return np_core(c)  # "told the Daily Courier"
            if c.dep_ != "prep":
                continue
            pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
            if pobj is None:
                continue
            if c.lower_ in AUDIENCE_PREPS and holder.lemma_.lower() in AUDIENCE_VERBS:
                return np_core(pobj)  # "said to Reuters", "speaking to Radio Meridian"
            if CHANNEL_NOUNS.get(pobj.lemma_.lower()) == "interview":
                inner = next((p for p in pobj.children if p.dep_ == "prep"), None)
                heard = (
                    next((p for p in inner.children if p.dep_ == "pobj"), None)
                    if inner is not None and inner.lower_ in AUDIENCE_PREPS | {"with"}
                    else None
                )
                if heard is not None:
                    return np_core(heard)  # "in an interview with CNN"
    return None


def stated_time(verb: Token, times: list[Span], exclude: Iterable[Span]) -> Span | None:
    """The time expression governed by the cue verb outside the content: when it was said."""
    excluded = {i for s in exclude for i in range(s.start, s.end)}
    sent = verb.sent
    for span in spans_starting_in(times, sent.start, sent.end):
        if span.end > sent.end:
            continue
        if any(i in excluded for i in range(span.start, span.end)):
            continue
        if span[0].lower_ in DURATION_PREPS:
            continue
        node = span.root
        steps = 0
        while node.head != node and steps < 12:
            node = node.head
            steps += 1
            if node == verb or (verb.dep_ in {"advcl", "xcomp"} and node == verb.head):
                return span
    return None


def hedges(content: Span) -> list[tuple[Span, Certainty]]:
    """Words in the content that weaken it, from data/lexicon/hedges.toml: hedge words
    ("probably"), modal verbs ("may"), qualified words ("almost certainly"), raising verbs
    ("appear to") and predicates ("it is possible that")."""
    doc = content.doc
    found: list[tuple[Span, Certainty]] = []
    for tok in content:
        low = tok.lower_
        level = HEDGE_WORDS.get(low)
        start = tok.i
        qualified = QUALIFIED_HEDGES.get(low)
        if qualified is not None and tok.i > 0 and doc[tok.i - 1].lower_ in qualified[0]:
            level, start = qualified[1], tok.i - 1
        elif tok.lemma_.lower() in RAISING_HEDGES and any(c.dep_ == "xcomp" for c in tok.children):
            level = RAISING_HEDGES[tok.lemma_.lower()]  # "the troops appear to have withdrawn"
        elif low in PREDICATE_HEDGES and tok.dep_ == "acomp":
            level = PREDICATE_HEDGES[low]  # "it is possible that ..."
        if level is None:
            continue
        if low in HEDGE_MODALS and tok.tag_ != "MD":
            continue
        found.append((doc[start : tok.i + 1], level))
    return found
