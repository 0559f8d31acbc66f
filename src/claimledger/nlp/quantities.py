"""Figures inside a content span: counts, fractions of an earlier figure, approximations,
what is counted (subject) and what happened to it (measure).

Works on the parse: a number is tied to the noun it counts (``nummod``) and the noun to
its predicate, so "2G phones" or "AK-12" are never taken for counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from spacy.tokens import Doc, Span, Token

from claimledger.lexicon import groups, mapping, rows, words
from claimledger.nlp.amounts import (
    SCALES,
    SUFFIXES,
    Amount,
    AmountError,
    AmountKind,
    bound_of,
    bounded,
    parse_amount,
)
from claimledger.nlp.amounts import parse_number as parse_cardinal
from claimledger.nlp.time.vocabulary import UNITS as TIME_UNITS
from claimledger.records import Measure


def _measure_words() -> tuple[dict[str, Measure], dict[str, Measure], dict[str, Measure]]:
    """The measure verbs, nouns and states, each word to its measure; a word listed under
    two measures takes the later one, so a user's row overrides a shipped one."""
    tables: dict[str, dict[str, Measure]] = {"verbs": {}, "nouns": {}, "states": {}}
    for row in rows("measures.measure"):
        for part, table in tables.items():
            table.update(dict.fromkeys(row[part], cast(Measure, row["name"])))
    return tables["verbs"], tables["nouns"], tables["states"]


# The word lists are in data/lexicon/numbers.toml, measures.toml and time.toml.
FRACTION_NOUNS = words("numbers.fraction_nouns")
SUBJECT_SYNONYMS = mapping("measures.subject_synonyms")
PERCENT_WORDS = words("numbers.percent_words")
# Vague amounts that stand for the count themselves: "dozens of soldiers", "several
# soldiers", "a handful of troops" (amounts.VAGUE gives their intervals).
VAGUE_HEADS = words("numbers.vague_heads")
# A range after one of these is a change, not an interval: "rose from 100 to 200".
CHANGE_WORDS = words("numbers.change_words")
# Units of a duration, singular and plural: "three weeks" is no count of weeks.
UNITS = {form: unit for unit in TIME_UNITS for form in (unit, f"{unit}s")}

MEASURE_VERBS, MEASURE_NOUNS, MEASURE_STATES = _measure_words()
# Measure verbs that need a particle ("pulled back") or a subject as object ("lost 300
# soldiers") to give their measure.
VERB_PARTICLES = groups("measures.verb_particles")
VERB_OBJECTS = mapping("measures.verb_objects")
# Verbs that lend their subject to a to-clause: "500 troops are believed to have been killed".
RAISING = words("measures.raising_verbs")
# A stretch of time up to the statement: "for three weeks", "in the past three weeks".
STRETCH_OPENINGS = words("time.stretch_openings")
# "taken prisoner": a captive verb with a captive word is a capture.
CAPTIVE_VERBS = words("measures.captive_verbs")
CAPTIVE_WORDS = words("measures.captive_words")
# Verbs that state a total: "losses reached 1,200", "casualties exceeded 5,000".
TOTAL_VERBS = words("measures.total_verbs")
PRESENCE_WORDS = words("measures.presence_words")
PRESENCE_STATES = words("measures.presence_states")


@dataclass
class RawFigure:
    """A figure found in a content span, before resolution against other claims."""

    tokens: Span  # the whole expression: "approximately half", "around 12,000"
    amount: Amount  # its interval: a count, or for a fraction the share of its base
    unit: str
    subject: Span | None
    subject_key: str
    measure: Measure
    measure_tokens: Span | None
    negated: bool
    anchor: Token  # the noun or duration the figure attaches to
    base: Span | None = None  # a base stated in the fraction's phrase: "half of the 12,000"
    base_amount: Amount | None = None

    @property
    def fraction(self) -> float | None:
        return self.amount.value if self.amount.kind == "fraction" else None

    @property
    def value(self) -> float | None:
        """The count as stated; None for a fraction."""
        return self.amount.value if self.amount.kind == "count" else None


def parse_number(tokens: list[str]) -> float | None:
    """The value of a number's tokens: ["twelve", "thousand"] -> 12000."""
    return parse_cardinal(" ".join(tokens))


def _number_tokens(tok: Token) -> list[Token]:
    """The number word itself with its compound number parts ("12 million", "twelve
    thousand") and a scale letter the tokenizer split off ("12K")."""
    parts = [tok]
    if _suffix_after(tok) is not None:
        parts.append(tok.doc[tok.i + 1])
    number_parts = {
        c.i
        for c in tok.children
        if c.dep_ in {"compound", "quantmod", "nummod"} and (c.like_num or c.lower_ in SCALES)
    }
    # only the parts written next to it: "12 million", not the 100 of "100 to 200"
    i = tok.i - 1
    while i in number_parts:
        parts.append(tok.doc[i])
        i -= 1
    i = tok.i + 1
    while i in number_parts:
        parts.append(tok.doc[i])
        i += 1
    return sorted(parts, key=lambda t: t.i)


def _subject_of_noun(noun: Token, figure: Iterable[int] = ()) -> tuple[Span, str]:
    """ "North Korean soldiers" (modifiers kept; determiners, numbers and the ``figure``'s
    own tokens, such as "an estimated 2,000", dropped)."""
    taken = set(figure)
    doc = noun.doc
    start = noun.i
    for c in noun.lefts:
        if c.dep_ in {"amod", "compound", "nmod"} and not c.like_num:
            start = min(start, c.left_edge.i)
    while start < noun.i and (
        start in taken
        or _SUFFIXED.match(doc[start].text) is not None
        or doc[start].like_num
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
        if head.pos_ in {"VERB", "AUX"} and not (node.dep_ == "pobj" and _subject(head)):
            raised = next((c for c in head.children if c.dep_ == "xcomp"), None)
            if node.dep_ == "nsubjpass" and raised is not None and head.lemma_ in RAISING:
                return raised  # "500 troops are believed to have been killed"
            return head
    # The parser hung the noun elsewhere ("said between 10 and 12 soldiers were
    # deployed"): a subjectless verb right after it is its predicate.
    after = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    if after is not None and after.dep_ in {"aux", "auxpass"} and _subject(after.head) is None:
        return after.head
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
        if lemma in CAPTIVE_VERBS and any(c.lower_ in CAPTIVE_WORDS for c in verb.children):
            return "captured", doc[verb.i : verb.i + 1], _negated(verb)  # "taken prisoner"
        if lemma in TOTAL_VERBS:
            # "Russian losses reached 1,200 soldiers": the measure is the subject noun's
            total = _subject(verb)
            if total is not None and total.lower_ in MEASURE_NOUNS:
                return MEASURE_NOUNS[total.lower_], doc[total.i : total.i + 1], _negated(verb)
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
        wanted = VERB_OBJECTS.get(lemma)
        if wanted is not None and not any(
            c.dep_ in {"dobj", "nsubjpass"} and SUBJECT_SYNONYMS.get(c.lower_) == wanted
            for c in verb.children
        ):
            continue  # "lost ground"
        particles = VERB_PARTICLES.get(lemma)
        if particles is not None and not any(c.lower_ in particles for c in verb.children):
            continue  # "pulled the trigger"
        return measure, span, negated
    for c in noun.children:
        if c.dep_ in {"amod", "compound"} and c.lower_ in MEASURE_NOUNS:
            return MEASURE_NOUNS[c.lower_], doc[c.i : c.i + 1], False
    if noun.lower_ in MEASURE_NOUNS:
        return MEASURE_NOUNS[noun.lower_], doc[noun.i : noun.i + 1], False
    return "other", None, False


def _total_of(number: Token) -> Token | None:
    """The measure noun a bare number totals: "casualties exceeded 5,000" → casualties."""
    verb = number.head
    if number.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head  # "stands at 300"
    elif number.dep_ not in {"dobj", "attr", "npadvmod"}:
        return None
    if verb.lemma_.lower() not in TOTAL_VERBS:
        return None
    subject = _subject(verb)
    if subject is None:
        return None
    counted = next((c for c in subject.children if c.dep_ == "compound"), None)
    if subject.lower_ in MEASURE_NOUNS or (subject.lower_ == "toll" and counted is not None):
        return subject
    return None


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


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


def read_amount(
    doc_span: Span, kind: AmountKind = "count", skip: Iterable[int] = ()
) -> tuple[Amount, Span] | None:
    """The longest phrase around ``doc_span`` (up to five words before it, three after,
    within its sentence) that :func:`claimledger.nlp.amounts.parse_amount` reads as a
    figure of ``kind``: "between 10,000 and 12,000", "several thousand", "nearly half".
    A range after a word of change ("rose from 100 to 200") is not an interval."""
    doc = doc_span.doc
    sent = doc_span.sent
    banned = set(skip)
    best: tuple[Amount, Span] | None = None
    for start in range(max(sent.start, doc_span.start - 5), doc_span.start + 1):
        for end in range(min(sent.end, doc_span.end + 3), doc_span.end - 1, -1):
            if best is not None and end - start <= len(best[1]):
                break
            if doc[end - 1].lower_ == "of" or banned.intersection(range(start, end)):
                continue
            try:
                amount = parse_amount(doc[start:end].text)
            except AmountError:
                continue
            if amount.kind != kind:
                continue
            if amount.bound == "range" and _after_change(doc, start):
                continue
            best = (amount, doc[start:end])
    return best


def _after_change(doc: Doc, start: int) -> bool:
    """ "rose (from) 100 to 200", "up from 100 to 200": the words before say it changed."""
    before = [t.lower_ for t in doc[max(0, start - 2) : start]]
    if before and before[-1] == "from":
        before.pop()
    return bool(before) and before[-1] in CHANGE_WORDS


def _vague_noun(tok: Token) -> Token | None:
    """The noun a vague amount counts: "dozens of soldiers", "several soldiers"."""
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None:
        return next((c for c in of.children if c.dep_ == "pobj"), None)
    if tok.dep_ in {"amod", "nummod"} and tok.head.pos_ in {"NOUN", "PROPN"}:
        return tok.head
    return None


def find_figures(content: Span, skip: set[int]) -> list[RawFigure]:
    """Counts and fractions in a content span. ``skip``: token indices of time expressions."""
    figures: list[RawFigure] = []
    doc = content.doc
    seen: set[int] = set()
    for tok in content:
        if tok.i in skip or tok.i in seen:
            continue
        low = tok.lower_
        noun: Token | None = None
        elided_from: RawFigure | None = None
        base: tuple[Amount, Span] | None = None
        core: list[Token]
        kind: AmountKind = "count"
        if low in FRACTION_NOUNS or low in PERCENT_WORDS or (low.endswith("%") and len(tok) > 1):
            found = _fraction(tok)
            if found is None:
                continue
            core, noun = found
            kind = "fraction"
            base = _stated_base(noun, skip | seen)
        elif low in VAGUE_HEADS:
            noun = _vague_noun(tok)
            if noun is None:
                continue
            core = [tok]
        elif (
            tok.like_num
            and tok.dep_ in {"nsubj", "nsubjpass"}
            and figures
            and figures[-1].anchor.sent == tok.sent
        ):
            # The counted noun is elided and taken from the figure before it.
            core = _number_tokens(tok)
            noun = tok
            elided_from = figures[-1]
        elif tok.like_num and (total := _total_of(tok)) is not None:
            # "casualties exceeded 5,000", "the death toll stands at 300"
            core = _number_tokens(tok)
            noun = total
        elif (
            (tok.like_num and tok.dep_ == "nummod")
            or (_SUFFIXED.match(tok.text) and tok.dep_ in {"nummod", "compound", "amod"})
        ) and tok.head != tok:
            if tok.head.pos_ not in {"NOUN", "PROPN"} or _glued_to_letters(tok):
                continue
            if tok.head.lower_ in FRACTION_NOUNS or tok.head.lower_ in PERCENT_WORDS:
                continue  # the "one" of "one-third", the "30" of "30 %"
            if tok.head.lower_ in UNITS or tok.head.i in skip:
                continue  # durations are read from time expressions
            core = _number_tokens(tok)
            noun = tok.head
        else:
            continue
        read = read_amount(doc[core[0].i : core[-1].i + 1], kind, skip | seen)
        if read is None:
            continue
        amount, phrase = read
        seen.update(range(phrase.start, phrase.end))
        if base is not None:
            seen.update(range(base[1].start, base[1].end))
        if elided_from is not None:
            subject, key = elided_from.subject, elided_from.subject_key
        else:
            subject, key = _subject_of_noun(noun, range(phrase.start, phrase.end))
        measure, measure_tokens, negated = _measure(noun)
        figures.append(
            RawFigure(
                tokens=phrase,
                amount=amount,
                unit="count",
                subject=subject,
                subject_key=key,
                measure=measure,
                measure_tokens=measure_tokens,
                negated=negated,
                anchor=noun,
                base=base[1] if base is not None else None,
                base_amount=base[0] if base is not None else None,
            )
        )
    return figures


def _fraction(tok: Token) -> tuple[list[Token], Token] | None:
    """The words of a fraction and the noun it is a fraction of: "one-third of these
    soldiers", "half of the soldiers", "30% of the force", "30 percent of the troops"."""
    doc = tok.doc
    low = tok.lower_
    parts = [tok]
    if low in FRACTION_NOUNS:
        numer = next(
            (c for c in tok.children if c.dep_ in {"nummod", "quantmod"} and c.like_num), None
        )
        if numer is None and tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].like_num:
            numer = doc[tok.i - 2]
        if numer is not None:
            parts = list(doc[numer.i : tok.i + 1])
    elif low in PERCENT_WORDS:
        if low == "per":
            if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "cent":
                return None
            tok = doc[tok.i + 1]
        num = next((c for c in tok.children if c.like_num), None)
        start = parts[0].i
        if num is None and start > 0 and doc[start - 1].like_num:
            num = doc[start - 1]
        if num is None:
            return None
        parts = list(doc[num.i : tok.i + 1])
    of = next((c for t in parts for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is None:
        return None
    noun = next((c for c in of.children if c.dep_ == "pobj"), None)
    return (parts, noun) if noun is not None else None


def _stated_base(noun: Token, skip: set[int]) -> tuple[Amount, Span] | None:
    """A count written into the fraction's own phrase: "half of the 12,000 troops"."""
    number = next((c for c in noun.children if c.dep_ == "nummod" and c.like_num), None)
    if number is None or number.i in skip:
        return None
    parts = _number_tokens(number)
    return read_amount(noun.doc[parts[0].i : parts[-1].i + 1], "count", skip)


def find_durations(content: Span, time_spans: list[Span]) -> list[RawFigure]:
    """ "have not been present ... for approximately three weeks", "have not been seen in
    the past three weeks": an absence with a length."""
    figures: list[RawFigure] = []
    for span in time_spans:
        if span.start < content.start or span.end > content.end:
            continue
        opening = " ".join(t.lower_ for t in span[:3])
        if span[0].lower_ != "for" and opening not in STRETCH_OPENINGS:
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
            c.lower_ in PRESENCE_STATES for c in verb.children if c.dep_ == "acomp"
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
        bound, _ = bound_of([t.lower_ for t in span if t.i < num_toks[0].i])
        figures.append(
            RawFigure(
                tokens=span,
                amount=bounded(bound, value, "count"),
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
