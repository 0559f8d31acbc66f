"""Where the figures of a span are and what each counts: a number tied to its noun, a
vague amount, a fraction or percentage of something, a total stated by a verb, a number
whose noun is elided, and an absence with a length."""

from __future__ import annotations

from spacy.tokens import Span, Token

from claimledger.nlp.amounts import Amount, AmountKind, bound_of, bounded
from claimledger.nlp.figures.measure import measure_of, subject_of
from claimledger.nlp.figures.numbers import (
    SUFFIXED,
    glued_to_letters,
    number_tokens,
    parse_number,
    read_amount,
)
from claimledger.nlp.figures.raw import RawFigure
from claimledger.nlp.figures.subject import subject_of_noun
from claimledger.nlp.figures.vocabulary import (
    FRACTION_NOUNS,
    MEASURE_NOUNS,
    PERCENT_WORDS,
    PRESENCE_STATES,
    PRESENCE_WORDS,
    STRETCH_OPENINGS,
    TOTAL_VERBS,
    UNITS,
    VAGUE_HEADS,
)


def _total_of(number: Token) -> Token | None:
    """The measure noun a bare number totals: "casualties exceeded 5,000" → casualties."""
    verb = number.head
    if number.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head  # "stands at 300"
    elif number.dep_ not in {"dobj", "attr", "npadvmod"}:
        return None
    if verb.lemma_.lower() not in TOTAL_VERBS:
        return None
    subject = subject_of(verb)
    if subject is None:
        return None
    counted = next((c for c in subject.children if c.dep_ == "compound"), None)
    if subject.lower_ in MEASURE_NOUNS or (subject.lower_ == "toll" and counted is not None):
        return subject
    return None


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
            core = number_tokens(tok)
            noun = tok
            elided_from = figures[-1]
        elif tok.like_num and (total := _total_of(tok)) is not None:
            # "casualties exceeded 5,000", "the death toll stands at 300"
            core = number_tokens(tok)
            noun = total
        elif (
            (tok.like_num and tok.dep_ == "nummod")
            or (SUFFIXED.match(tok.text) and tok.dep_ in {"nummod", "compound", "amod"})
        ) and tok.head != tok:
            if tok.head.pos_ not in {"NOUN", "PROPN"} or glued_to_letters(tok):
                continue
            if tok.head.lower_ in FRACTION_NOUNS or tok.head.lower_ in PERCENT_WORDS:
                continue  # the "one" of "one-third", the "30" of "30 %"
            if tok.head.lower_ in UNITS or tok.head.i in skip:
                continue  # durations are read from time expressions
            core = number_tokens(tok)
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
            subject, key = subject_of_noun(noun, range(phrase.start, phrase.end))
        measure, measure_tokens, negated = measure_of(noun)
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
    parts = number_tokens(number)
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
        subject, key = subject_of_noun(who)
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
