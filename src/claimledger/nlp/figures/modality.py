"""Whether a figure is a count of what happened, and whether it is a total or a rate.

A figure is ``reported`` unless the words on its way up the parse say it is a
``projection`` ("the toll could exceed 10,000"), a ``potential`` ("may send as many as
10,000 troops") or ``conditional`` ("if the dam fails, 5,000 would be displaced"): a small
scored decision whose cues and weights are data (``data/lexicon/modality.toml``). A rate
("80 casualties per day", "a daily high of 2,030") is read from the same words.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import cast

from spacy.tokens import Span, Token

from claimledger.lexicon import rows, words
from claimledger.nlp.figures.vocabulary import (
    MEASURE_STATES,
    MEASURE_VERBS,
    REPORTING_VERBS,
    TOTAL_VERBS,
)
from claimledger.records import Modality, RatePeriod

# A figure after these is stated on its own: the clause above it does not hedge it.
_OWN_CLAUSE = frozenset({"with", "including"})
# Punctuation that ends the clause a rate written after a figure may be in.
_CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", "—", "–", ".", "!", "?"})
# How far up the parse the words of a figure's clause are looked for.
_MOST_STEPS = 12


@cache
def _words(name: str) -> frozenset[str]:
    return words(f"modality.{name}")


@cache
def _weights() -> tuple[tuple[str, Modality, int], ...]:
    return tuple(
        (row["cue"], cast(Modality, row["modality"]), row["weight"])
        for row in rows("modality.cues")
    )


@cache
def _periods() -> dict[str, RatePeriod]:
    return {row["word"]: cast(RatePeriod, row["per"]) for row in rows("modality.rate_periods")}


def decide_modality(cues: set[str]) -> Modality:
    """The modality with the highest total weight of the cues that hold ("bias" always
    holds); a tie keeps the first listed, "reported"."""
    scores: dict[Modality, int] = {}
    for cue, modality, weight in _weights():
        if cue == "bias" or cue in cues:
            scores[modality] = scores.get(modality, 0) + weight
    if not scores:
        return "reported"
    return max(scores, key=lambda m: scores[m])


def modality_of(anchor: Token, phrase: Span) -> Modality:
    """The modality of the figure ``phrase`` counting ``anchor``."""
    return decide_modality(modality_cues(anchor, phrase))


def _path(anchor: Token, phrase: Span) -> Iterator[Token]:
    """The figure's words and the words above them, up to and including the verb that
    reports it (or the root)."""
    seen: set[int] = set()
    starts = [anchor, *(t for t in phrase if t.like_num)]
    for start in starts:
        node = start
        for _ in range(_MOST_STEPS):
            if node.i in seen:
                break
            seen.add(node.i)
            yield node
            if node.pos_ == "VERB" and node.lemma_.lower() in REPORTING_VERBS:
                break  # the statement's own verb is the last word of its content
            if node.dep_ == "prep" and node.lower_ in _OWN_CLAUSE:
                break  # "expected to become the costliest, with damage exceeding $60 billion"
            if node.head.i == node.i:
                break
            node = node.head


def modality_cues(anchor: Token, phrase: Span) -> set[str]:
    """The cues of ``modality.cues`` that hold for a figure."""
    cues: set[str] = set()
    for node in _path(anchor, phrase):
        lemma = node.lemma_.lower()
        low = node.lower_
        if node.pos_ in {"VERB", "AUX"} and lemma in _words("forecast_verbs"):
            cues.add("forecast")
        elif node.pos_ == "ADJ" and (low in _words("forecast_adjectives")):
            if any(c.dep_ == "xcomp" for c in node.children):
                cues.add("forecast")  # "likely to be at least 10,000"
        elif node.pos_ == "VERB" and low in _words("forecast_adjectives"):
            cues.add("forecast")  # "the figure expected to exceed 3,000"
        if node.pos_ in {"NOUN", "PROPN"} and (
            low in _words("forecast_nouns") or lemma in _words("forecast_nouns")
        ):
            cues.add("forecast")  # "a 35% chance of between 10,000 and 100,000 deaths"
        if node.pos_ not in {"VERB", "AUX", "ADJ"}:
            continue
        for child in node.children:
            word = child.lower_
            if child.dep_ == "aux" and word in _words("modal_words"):
                if any(c.dep_ == "neg" for c in node.children):
                    continue  # "could not be found": what is, not what may be
                if any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in node.children):
                    continue  # "may have been carrying 750": a guess at what was
                if node.lemma_.lower() == "be" and any(
                    c.dep_ == "acomp" and c.lower_ in _words("estimate_complements")
                    for c in node.children
                ):
                    continue  # "could be as high as 900,000": an estimate of what is
                cues.add("modal")
                if _outcome(node):
                    cues.add("modal_outcome")
            elif child.dep_ == "aux" and word in _words("future_words"):
                cues.add("future")
            elif child.dep_ == "aux" and word in _words("would_words"):
                cues.add("would")
            elif child.dep_ == "advcl" and _conditional(child):
                cues.add("condition")
            elif child.dep_ == "prep" and word == "by" and _deadline(child):
                cues.add("future")  # "could all be killed by spring"
        if node.dep_ == "advcl" and _conditional(node):
            cues.add("condition")  # "if 5,000 troops are sent, ..."
    return cues


def _outcome(verb: Token) -> bool:
    """A verb of totals or of harm, or one with a state of harm: "could exceed", "could
    rise", "could be dead", "could all be killed", "could result in"."""
    lemma = verb.lemma_.lower()
    outcomes = _words("outcome_measures")
    if lemma in TOTAL_VERBS - {"be"} or lemma in _words("outcome_verbs"):
        return True
    if MEASURE_VERBS.get(lemma) in outcomes:
        return True
    return any(
        c.dep_ in {"acomp", "attr", "xcomp", "conj"}
        and (
            MEASURE_STATES.get(c.lower_) in outcomes
            or MEASURE_VERBS.get(c.lemma_.lower()) in outcomes
        )
        for c in verb.children
    )


def _conditional(clause: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in _words("condition_marks") for c in clause.children)


def _deadline(by: Token) -> bool:
    return any(
        o.dep_ == "pobj"
        and (
            o.lower_ in _words("future_deadlines") or o.lemma_.lower() in _words("future_deadlines")
        )
        for o in by.children
    )


def rate_of(anchor: Token, phrase: Span) -> tuple[Span, RatePeriod] | None:
    """The period a figure is counted per, with its words: "per day", "every day", "a
    month", "daily" on the figure's noun, its verb (or a verb coordinated with it) or the
    noun it is the "of" phrase of ("a daily high of 2,030")."""
    found = _rate_in_parse(anchor, phrase)
    return found if found is not None else _rate_after(phrase)


def _rate_after(phrase: Span) -> tuple[Span, RatePeriod] | None:
    """A rate written after the figure in its clause, whatever the parse made of it: "163
    civilians killed and 547 injured per month" (both figures are per month)."""
    periods = _periods()
    doc = phrase.doc
    end = phrase.sent.end
    for i in range(phrase.end, end):
        tok = doc[i]
        if tok.text in _CLAUSE_BREAKS or tok.lemma_.lower() in REPORTING_VERBS:
            return None
        if tok.pos_ in {"ADJ", "ADV"} and tok.lower_ in periods:
            return doc[i : i + 1], periods[tok.lower_]
        nxt = doc[i + 1] if i + 1 < end else None
        if (
            nxt is not None
            and tok.lower_ in _words("rate_determiners")
            and nxt.lemma_.lower() in periods
            and nxt.pos_ == "NOUN"
            and (tok.lower_ == "per" or doc[i - 1].pos_ != "ADP")  # not "in a day"
        ):
            return doc[i : i + 2], periods[nxt.lemma_.lower()]
    return None


def _rate_in_parse(anchor: Token, phrase: Span) -> tuple[Span, RatePeriod] | None:
    periods = _periods()
    doc = anchor.doc
    for node in _rate_places(anchor, phrase):
        for child in node.children:
            if child.i in range(phrase.start, phrase.end):
                continue
            word = child.lower_
            if child.pos_ in {"ADJ", "ADV"} and word in periods:
                return doc[child.i : child.i + 1], periods[word]  # "daily", "monthly"
            if child.dep_ == "npadvmod" and child.lemma_.lower() in periods:
                det = next(
                    (c for c in child.children if c.lower_ in _words("rate_determiners")), None
                )
                if det is not None:  # "every day", "a month"
                    return doc[min(det.i, child.i) : child.i + 1], periods[child.lemma_.lower()]
            if child.dep_ == "prep" and word == "per":
                obj = next((o for o in child.children if o.dep_ == "pobj"), None)
                if obj is not None and obj.lemma_.lower() in periods:
                    return doc[child.i : obj.i + 1], periods[obj.lemma_.lower()]
    return None


def _rate_places(anchor: Token, phrase: Span) -> Iterator[Token]:
    """Where a rate's words hang: the figure's noun and number, the nouns and verb above
    them up to the first verb, and the verbs coordinated with that verb."""
    seen: set[int] = set()
    for start in (anchor, *(t for t in phrase if t.like_num)):
        node = start
        for _ in range(_MOST_STEPS):
            if node.i not in seen:
                seen.add(node.i)
                yield node
            if node.pos_ in {"VERB", "AUX"}:
                for other in (node.head, *node.children):
                    linked = other.dep_ == "conj" or node.dep_ == "conj"
                    if linked and other.pos_ == "VERB" and other.i not in seen and _counts(other):
                        seen.add(other.i)
                        yield other  # "six people died and 20 were injured every day"
                break
            if node.head.i == node.i:
                break
            node = node.head


def _counts(verb: Token) -> bool:
    """Whether a verb coordinated with a figure's verb is about a figure too: no subject of
    its own ("were killed and injured every day"), or a subject with a number ("and 20
    people were injured every day"); not "and aid arrives every day"."""
    subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is None:
        return True
    return subject.like_num or any(c.like_num for c in subject.children)
