"""Figures inside a content span: counts, fractions of an earlier figure, approximations,
what is counted (subject) and what happened to it (measure).

Works on the parse: a number is tied to the noun it counts (``nummod``) and the noun to
its predicate, so "2G phones" or "AK-12" are never taken for counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from claimledger.nlp.amounts import SCALES, SUFFIXES
from claimledger.nlp.amounts import parse_number as parse_cardinal
from claimledger.records import Measure

FRACTION_NOUNS = {
    "half": 0.5,
    "halves": 0.5,
    "third": 1 / 3,
    "thirds": 1 / 3,
    "quarter": 0.25,
    "quarters": 0.25,
    "fifth": 0.2,
    "fifths": 0.2,
    "tenth": 0.1,
    "tenths": 0.1,
}
APPROX_WORDS = {
    "around",
    "about",
    "approximately",
    "roughly",
    "some",
    "nearly",
    "almost",
    "circa",
    "approx",
    "estimated",
    "an",
    "~",
}
LOWER_BOUND = {"more than", "over", "at least", "above", "upwards of", "in excess of"}
UPPER_BOUND = {"fewer than", "less than", "up to", "under", "at most", "below"}
SUBJECT_SYNONYMS = {
    "troops": "soldiers",
    "forces": "soldiers",
    "servicemen": "soldiers",
    "fighters": "soldiers",
    "personnel": "soldiers",
    "military": "soldiers",
    "soldier": "soldiers",
    "troop": "soldiers",
    "people": "people",
}
UNITS = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
}

MEASURE_VERBS: dict[str, Measure] = {
    "kill": "killed",
    "die": "killed",
    "slay": "killed",
    "eliminate": "killed",
    "wound": "wounded",
    "injure": "wounded",
    "hurt": "wounded",
    "capture": "captured",
    "detain": "captured",
    "seize": "captured",
    "surrender": "captured",
    "miss": "missing",
    "disappear": "missing",
    "send": "deployed",
    "deploy": "deployed",
    "station": "deployed",
    "dispatch": "deployed",
    "transfer": "deployed",
    "post": "deployed",
    "be": "deployed",
    "fight": "deployed",
    "withdraw": "withdrawn",
    "retreat": "withdrawn",
    "pull": "withdrawn",
    "lose": "killed_or_wounded",
}
MEASURE_NOUNS: dict[str, Measure] = {
    "casualty": "killed_or_wounded",
    "casualties": "killed_or_wounded",
    "loss": "killed_or_wounded",
    "losses": "killed_or_wounded",
    "dead": "killed",
    "death": "killed",
    "deaths": "killed",
    "prisoner": "captured",
    "prisoners": "captured",
}
MEASURE_STATES: dict[str, Measure] = {
    "missing": "missing",
    "dead": "killed",
    "wounded": "wounded",
    "injured": "wounded",
    "captive": "captured",
    "absent": "absent",
}
PRESENCE_WORDS = {"present", "see", "spot", "observe", "be", "deploy", "fight"}


@dataclass
class RawFigure:
    """A figure found in a content span, before resolution against other claims."""

    tokens: Span  # the whole expression: "approximately half", "around 12,000"
    value: float | None  # absolute value, None for a fraction
    fraction: float | None
    approx: bool
    low_bound: bool  # "more than N": N is a lower bound
    high_bound: bool  # "up to N": N is an upper bound
    unit: str
    subject: Span | None
    subject_key: str
    measure: Measure
    measure_tokens: Span | None
    negated: bool
    anchor: Token  # the noun or duration the figure attaches to


def parse_number(tokens: list[str]) -> float | None:
    """The value of a number's tokens: ["twelve", "thousand"] -> 12000."""
    return parse_cardinal(" ".join(tokens))


def _number_tokens(tok: Token) -> list[Token]:
    """The number word itself with its compound number parts ("12 million", "twelve
    thousand") and a scale letter the tokenizer split off ("12K")."""
    parts = [tok]
    if _suffix_after(tok) is not None:
        parts.append(tok.doc[tok.i + 1])
    for c in tok.children:
        if c.dep_ in {"compound", "quantmod", "nummod"} and (c.like_num or c.lower_ in SCALES):
            parts.append(c)
    return sorted(parts, key=lambda t: t.i)


def _approximation(tok: Token) -> tuple[bool, bool, bool, list[Token]]:
    """Hedge words on a number: (approx, lower bound, upper bound, the tokens)."""
    doc = tok.doc
    heads = [c for c in tok.children if c.dep_ in {"advmod", "quantmod", "amod"} and c.i < tok.i]
    mods = sorted({t for m in heads for t in m.subtree}, key=lambda t: t.i)
    # "more than" is two tokens hung on the number; read the two tokens before the figure.
    start = min([tok.i, *(m.i for m in mods)])
    before2 = doc[max(start - 2, tok.sent.start) : start].text.lower()
    before1 = doc[start - 1].lower_ if start > tok.sent.start else ""
    words = " ".join(m.lower_ for m in mods)
    flipped = words.startswith("no ") or before1 == "no"
    words = words.removeprefix("no ")
    approx = any(m.lower_ in APPROX_WORDS - {"an"} for m in mods) or before1 in {"around", "about"}
    low = words in LOWER_BOUND or before2 in LOWER_BOUND
    high = words in UPPER_BOUND or before2 in UPPER_BOUND
    if flipped:
        # "no more than 50" is at most 50; "no fewer than 50" is at least 50
        low, high = high, low
    if any(m.lower_ in {"nearly", "almost"} for m in mods):
        approx = True
    return approx, low, high, mods


def _subject_of_noun(noun: Token) -> tuple[Span, str]:
    """ "North Korean soldiers" (modifiers kept, determiners and numbers dropped)."""
    doc = noun.doc
    start = noun.i
    for c in noun.lefts:
        if c.dep_ in {"amod", "compound", "nmod"} and not c.like_num:
            start = min(start, c.left_edge.i)
    while start < noun.i and (
        doc[start].like_num
        or doc[start].is_punct
        or (start > 0 and doc[start - 1].like_num and _suffix_after(doc[start - 1]) is not None)
    ):
        start += 1
    span = doc[start : noun.i + 1]
    words = [t.lower_ for t in span[:-1]] + [SUBJECT_SYNONYMS.get(noun.lower_, noun.lower_)]
    return span, " ".join(words)


def _predicate(noun: Token) -> Token | None:
    """The verb a counted noun is subject or object of, climbing coordination."""
    node = noun
    while node.dep_ == "conj":
        node = node.head
    if node.dep_ in {"nsubj", "nsubjpass", "dobj", "attr", "pobj"}:
        head = node.head
        if node.dep_ == "pobj":
            # "half of the soldiers" -> climb to the fraction's predicate
            head = head.head
            if head.pos_ == "NOUN":
                return _predicate(head)
        return head if head.pos_ in {"VERB", "AUX"} else None
    return None


def _measure(noun: Token) -> tuple[Measure, Span | None, bool]:
    """What happened to the counted thing, from its predicate (and conjoined predicates)."""
    doc = noun.doc
    anchor = noun
    while anchor.dep_ == "conj":
        anchor = anchor.head
    pred = _predicate(noun)
    candidates: list[Token] = []
    if pred is not None and pred.lemma_.lower() != "be":
        candidates.append(pred)
    candidates.extend(c for c in anchor.children if c.dep_ == "acl" and c.pos_ == "VERB")
    if pred is not None and pred.lemma_.lower() == "be":
        candidates.append(pred)
    for verb in candidates:
        lemma = verb.lemma_.lower()
        measure = MEASURE_VERBS.get(lemma)
        state = next((c for c in verb.children if c.dep_ == "acomp"), None)
        state_word = state.lower_ if state is not None else ""
        if lemma == "be" and state is not None and state_word in MEASURE_STATES:
            # "were missing", "are dead": the state, not the copula, is the measure
            negated = any(c.dep_ == "neg" for c in verb.children)
            return MEASURE_STATES[state_word], doc[state.i : state.i + 1], negated
        if measure is None:
            continue
        negated = any(c.dep_ == "neg" for c in verb.children)
        shared = [c for c in verb.children if c.dep_ == "conj" and _subject(c) is None]
        conj_measures = {MEASURE_VERBS.get(c.lemma_.lower()) for c in shared}
        span = doc[verb.i : verb.i + 1]
        if {measure, *conj_measures} >= {"killed", "wounded"}:
            last = max(shared, key=lambda t: t.i)
            return "killed_or_wounded", doc[verb.i : last.i + 1], negated
        if lemma == "lose" and not any(
            c.dep_ in {"dobj", "nsubjpass"} and c.lower_ in SUBJECT_SYNONYMS for c in verb.children
        ):
            continue
        if lemma == "pull" and not any(c.lower_ in {"back", "out"} for c in verb.children):
            continue
        return measure, span, negated
    for c in noun.children:
        if c.dep_ in {"amod", "compound"} and c.lower_ in MEASURE_NOUNS:
            return MEASURE_NOUNS[c.lower_], doc[c.i : c.i + 1], False
    if noun.lower_ in MEASURE_NOUNS:
        return MEASURE_NOUNS[noun.lower_], doc[noun.i : noun.i + 1], False
    return "other", None, False


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)


# "12k", "1.5m", "3bn": one token that the parser does not take for a number
_SUFFIXED = re.compile(r"^\d+(?:[.,]\d+)?(?:k|m|mn|bn|b)$", re.IGNORECASE)


def _suffix_after(tok: Token) -> Token | None:
    """The letters written onto a number and split off by the tokenizer ("12K" → "K")."""
    doc = tok.doc
    if tok.whitespace_ or tok.i + 1 >= len(doc) or not doc[tok.i + 1].is_alpha:
        return None
    return doc[tok.i + 1]


def _glued_to_letters(tok: Token) -> bool:
    """ "2G phones", "3D printers": a number written into a name, not a count. A scale
    suffix ("12K") is still a number; so "4K video" reads as 4,000."""
    after = _suffix_after(tok)
    return after is not None and after.lower_ not in SUFFIXES


def find_figures(content: Span, skip: set[int]) -> list[RawFigure]:
    """Counts and fractions in a content span. ``skip``: token indices of time expressions."""
    figures: list[RawFigure] = []
    doc = content.doc
    seen: set[int] = set()
    for tok in content:
        if tok.i in skip or tok.i in seen:
            continue
        low = tok.lower_
        fraction: float | None = None
        value: float | None = None
        expr_tokens: list[Token] = []
        noun: Token | None = None
        elided_from: RawFigure | None = None
        if (
            low in FRACTION_NOUNS
            or (tok.text.endswith("%") and len(tok) > 1)
            or (low in {"percent", "per"})
        ):
            fraction, noun, expr_tokens = _fraction(tok)
            if fraction is None or noun is None:
                continue
        elif (
            tok.like_num
            and tok.dep_ in {"nsubj", "nsubjpass"}
            and figures
            and figures[-1].anchor.sent == tok.sent
        ):
            # The counted noun is elided and taken from the figure before it.
            expr_tokens = _number_tokens(tok)
            value = parse_number([t.text for t in expr_tokens])
            if value is None:
                continue
            noun = tok
            elided_from = figures[-1]
        elif (
            (tok.like_num and tok.dep_ == "nummod")
            or (_SUFFIXED.match(tok.text) and tok.dep_ in {"nummod", "compound"})
        ) and tok.head != tok:
            if tok.head.pos_ not in {"NOUN", "PROPN"}:
                continue
            if _glued_to_letters(tok):
                continue
            if tok.head.lower_ in FRACTION_NOUNS:
                continue  # the "one" of "one-third" is part of the fraction
            if tok.head.lower_ in UNITS or tok.head.i in skip:
                continue  # durations are read from time expressions
            parts = _number_tokens(tok)
            value = parse_cardinal("".join(t.text_with_ws for t in parts).strip())
            if value is None:
                continue
            noun = tok.head
            expr_tokens = parts
        else:
            continue
        approx, low_bound, high_bound, mods = _approximation(tok)
        expr_tokens = sorted({*expr_tokens, *mods}, key=lambda t: t.i)
        seen.update(t.i for t in expr_tokens)
        if elided_from is not None:
            subject, key = elided_from.subject, elided_from.subject_key
        else:
            subject, key = _subject_of_noun(noun)
        measure, measure_tokens, negated = _measure(noun)
        figures.append(
            RawFigure(
                tokens=doc[expr_tokens[0].i : expr_tokens[-1].i + 1],
                value=value,
                fraction=fraction,
                approx=approx,
                low_bound=low_bound,
                high_bound=high_bound,
                unit="count",
                subject=subject,
                subject_key=key,
                measure=measure,
                measure_tokens=measure_tokens,
                negated=negated,
                anchor=noun,
            )
        )
    return figures


def _fraction(tok: Token) -> tuple[float | None, Token | None, list[Token]]:
    """ "one-third of these soldiers", "half of the soldiers", "30% of the force"."""
    doc = tok.doc
    low = tok.lower_
    parts = [tok]
    if low in FRACTION_NOUNS:
        base = FRACTION_NOUNS[low]
        numer = next(
            (c for c in tok.children if c.dep_ in {"nummod", "quantmod"} and c.like_num), None
        )
        if numer is None and tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].like_num:
            numer = doc[tok.i - 2]
        if numer is not None:
            n = parse_number([numer.text])
            if n is None:
                return None, None, []
            base *= n
            parts = list(doc[numer.i : tok.i + 1])
    elif tok.text.endswith("%"):
        n = parse_number([tok.text[:-1]])
        if n is None:
            return None, None, []
        base = n / 100
    else:
        num = next((c for c in tok.children if c.like_num), None) or (
            doc[tok.i - 1] if tok.i > 0 and doc[tok.i - 1].like_num else None
        )
        n = parse_number([num.text]) if num is not None else None
        if n is None or num is None:
            return None, None, []
        base = n / 100
        parts = [num, tok]
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is None:
        return None, None, []
    noun = next((c for c in of.children if c.dep_ == "pobj"), None)
    return base, noun, parts


def find_durations(content: Span, time_spans: list[Span]) -> list[RawFigure]:
    """ "have not been present ... for approximately three weeks": an absence with a length."""
    figures: list[RawFigure] = []
    for span in time_spans:
        if span.start < content.start or span.end > content.end or span[0].lower_ != "for":
            continue
        unit_tok = next((t for t in span if t.lower_ in UNITS), None)
        num_toks = [t for t in span if t.like_num]
        if unit_tok is None or not num_toks:
            continue
        value = parse_number([t.text for t in num_toks])
        if value is None:
            continue
        verb = span.root.head
        while verb.pos_ not in {"VERB", "AUX"} and verb.head != verb:
            verb = verb.head
        negated = any(c.dep_ == "neg" for c in verb.children)
        lemma = verb.lemma_.lower()
        present = lemma in PRESENCE_WORDS or any(
            c.lower_ == "present" for c in verb.children if c.dep_ == "acomp"
        )
        if not (negated and present):
            continue
        who = (
            next((c for c in verb.children if c.dep_ in {"dobj"}), None) if lemma != "be" else None
        )
        if who is None:
            who = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if who is None or who.pos_ == "PRON":
            continue
        subject, key = _subject_of_noun(who)
        approx = any(t.lower_ in APPROX_WORDS for t in span)
        figures.append(
            RawFigure(
                tokens=span,
                value=value,
                fraction=None,
                approx=approx,
                low_bound=False,
                high_bound=False,
                unit=UNITS[unit_tok.lower_],
                subject=subject,
                subject_key=key,
                measure="absent",
                measure_tokens=content.doc[verb.i : verb.i + 1],
                negated=False,
                anchor=who,
            )
        )
    return figures
