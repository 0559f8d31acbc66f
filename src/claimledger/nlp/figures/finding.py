"""Where the figures of a span are and what each counts: a number tied to its noun, a
vague amount, a fraction or percentage of something, a part of a stated whole ("718 of the
728 drones"), a total stated by a verb ("the toll rose to 132"), a number whose noun is
elided ("700 were killed and 2,800 injured"), an amount of money, and an absence with a
length. Numbers that count nothing (dates, magnitudes, distances, ages, durations, "one
of") are left out here, before any measure is read."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from spacy.tokens import Span, Token

from claimledger.nlp.amounts import CURRENCIES, Amount, AmountKind, bound_of, bounded
from claimledger.nlp.figures.measure import (
    Reading,
    clause_subject,
    cues_of,
    decide,
    is_measure_noun,
    predicate,
    total_of_verb,
    total_subject_cues,
    total_verb,
    verb_cues,
)
from claimledger.nlp.figures.modality import modality_of, rate_of
from claimledger.nlp.figures.numbers import (
    SUFFIXED,
    glued_to_letters,
    is_numberish,
    number_group,
    parse_number,
    read_amount,
)
from claimledger.nlp.figures.raw import RawFigure
from claimledger.nlp.figures.subject import subject_of_figure, subject_of_noun
from claimledger.nlp.figures.vocabulary import (
    BREAKDOWN_PARTS,
    CHANGE_NOUNS,
    FRACTION_NOUNS,
    INCLUSION_VERBS,
    MONTHS,
    NOT_COUNTED,
    NOT_COUNTED_AFTER,
    PEOPLE,
    PERCENT_WORDS,
    PRESENCE_STATES,
    PRESENCE_WORDS,
    REFERENCE_DETERMINERS,
    REPORTING_VERBS,
    STRETCH_OPENINGS,
    SUBJECT_SYNONYMS,
    UNITS,
    VAGUE_HEADS,
    WEAK_VAGUE,
)

# A date written in digits: "2025-01-13", "2025-01", "13/01/2025", "2022-23".
_DATE = re.compile(r"^(?:\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_DASHES = {"-", "–", "—"}
# Where a bare number stands when it leaves out the noun of the figure before it.
_ELIDED_DEPS = {"nsubj", "nsubjpass", "conj", "appos", "dobj", "npadvmod", "ROOT", "attr"}
# "30,457 casualties, including 10,582 dead": a part listed after the figure it is part of.
_LISTING = {"including", "among", "include"}
# Pronouns that refer back to the figure before: "about a third of them", "half of those".
_BACK_PRONOUNS = {"them", "those", "whom", "these"}
# Words that place a figure among others, which the parser may take for its noun: "a
# record 728 drones" (728 on "record").
_PLACING = {"record", "total", "combined"}
# Verbs that say nothing of what a number counts: "another 900 are in morgues".
_EMPTY_VERBS = {"be", "remain", "have", "include", "stand", "number", "total", "reach"}
# How the parser hangs the items of a list on the first: "six nurses, 14 drivers and ...".
_LIST_DEPS = {"conj", "appos"}
_GLUED_PER = re.compile(r"^\d+(?:\.\d+)?per$", re.IGNORECASE)


@dataclass
class _Spot:
    """A figure's place before its amount is read: its number words (``core``), what kind
    of number it is, the noun it counts (None when elided or unnamed), the token whose
    place in the sentence gives the predicate (the number itself for "718 of the drones",
    "rose to 1,000"), and what it borrows from the figure before it."""

    core: list[Token]
    kind: AmountKind
    noun: Token | None
    role: Token
    anchor: Token
    borrowed: RawFigure | None = None
    base: tuple[Amount, Span] | None = None
    currency: Token | None = None
    whole: bool = False  # the whole of a part ("the 728 drones"): only its own words count


class _Either(Container[int]):
    """Membership in either of two collections, read live (neither is copied)."""

    __slots__ = ("first", "second")

    def __init__(self, first: Container[int], second: Container[int]) -> None:
        self.first = first
        self.second = second

    def __contains__(self, item: object) -> bool:
        return item in self.first or item in self.second


def find_figures(content: Span, skip: Container[int], look_back: bool = True) -> list[RawFigure]:
    """Counts and fractions in a span. ``skip``: token indices of time expressions and of
    anything else that is no figure (a nested statement). ``look_back``: whether a figure
    may borrow from one before the span in its sentence (read once, without looking back
    again)."""
    figures: list[RawFigure] = []
    doc = content.doc
    seen: set[int] = set()
    blocked = _Either(skip, seen)  # skip | seen, without copying skip per token
    for tok in content:
        if tok.i in skip or tok.i in seen:
            continue
        spot = _spot(tok, figures, blocked, look_back)
        if spot is None:
            continue
        if any(t.i in skip for t in spot.core):
            continue
        read = read_amount(doc[spot.core[0].i : spot.core[-1].i + 1], spot.kind, blocked)
        if read is None:
            continue
        amount, phrase = read
        seen.update(range(phrase.start, phrase.end))
        seen.update(t.i for t in spot.core)
        if spot.base is not None:
            seen.update(range(spot.base[1].start, spot.base[1].end))
        reading = _measure(spot)
        if _counts_nothing(spot, phrase, amount, reading) or _no_figure(spot, amount):
            continue
        subject, key = _subject(spot, phrase)
        figures.append(
            RawFigure(
                tokens=phrase,
                amount=amount,
                unit="count",
                subject=subject,
                subject_key=key,
                measure=reading.measure,
                measure_tokens=reading.tokens,
                negated=reading.negated,
                anchor=spot.anchor,
                base=spot.base[1] if spot.base is not None else None,
                base_amount=spot.base[0] if spot.base is not None else None,
                modality=modality_of(spot.anchor, phrase),
                rate=rate_of(spot.anchor, phrase),
            )
        )
    return figures


def _spot(
    tok: Token, figures: list[RawFigure], skip: Container[int], look_back: bool = True
) -> _Spot | None:
    """Whether ``tok`` begins a figure, and where that figure stands."""
    low = tok.lower_
    if _GLUED_PER.match(low) and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "cent":
        return None  # "60per cent" is read from its "cent"
    if low in FRACTION_NOUNS or low in PERCENT_WORDS or (low.endswith("%") and len(tok) > 1):
        return _fraction_spot(tok, figures, skip, look_back)
    if low in VAGUE_HEADS:
        return _vague_spot(tok, figures, skip, look_back)
    if not (tok.like_num or SUFFIXED.match(tok.text) or is_numberish(tok.text)):
        return None
    group = number_group(tok)
    head = _group_head(group)
    if _not_a_number_here(group, head):
        return None
    currency = _currency_before(group[0])
    if currency is not None:
        # "$10 billion": a count of the currency, whatever the number hangs on
        return _Spot(group, "count", None, head, head, currency=currency)
    part_of = _partitive(head, group)
    if part_of is not None:
        # "718 of the 728 drones", "five of the fatalities": the number is the part
        if head.lower_ in {"one", "1"}:
            return None  # "one of the world's deadliest routes" refers, it does not count
        role = head if _partitive(head) is not None else part_of
        return _Spot(group, "count", part_of, role, part_of)
    if head.dep_ in {"nummod", "compound", "amod", "quantmod"} and head.head.pos_ in {
        "NOUN",
        "PROPN",
    }:
        noun = head.head
        if head.dep_ != "nummod" and not SUFFIXED.match(head.text):
            return None
        if noun.lower_ in _PLACING and noun.dep_ in {"nmod", "compound", "amod"}:
            noun = noun.head  # "a record 728 drones", parsed with 728 on "record"
        if glued_to_letters(head):
            return None
        if noun.lower_ in FRACTION_NOUNS or noun.lower_ in PERCENT_WORDS:
            return None  # the "one" of "one-third", the "30" of "30 %"
        if noun.lower_ in UNITS or noun.i in skip:
            return None  # durations are read from time expressions
        return _Spot(group, "count", noun, noun, noun, whole=_is_whole(group))
    total = _total_of(head)
    if total is not None:
        # "the death toll stands at 300", "losses of up to 3,000"
        return _Spot(group, "count", total, head, total)
    borrowed = _elided_from(head, figures, skip, look_back)
    if borrowed is not None:
        return _Spot(group, "count", None, head, head, borrowed=borrowed)
    if decide(cues_of(head)).measure != "other":
        # "500 had been wounded", "including 40 dead": the number stands for people
        return _Spot(group, "count", None, head, head)
    return None


def _measure(spot: _Spot) -> Reading:
    """The spot's measure: from the role token's place and the counted noun's own words,
    and for an elided noun from the noun it borrows (or the measure, when nothing here
    says one: "the figure is expected to exceed 3,000")."""
    if spot.currency is not None:
        # money is never a toll: "losses of $40 billion", "$300 million to displaced families"
        return Reading("other", None, False)
    if spot.whole and spot.noun is not None:
        own = {"noun", "modifier", "participle"}
        return decide(c for c in cues_of(spot.noun) if c.place in own)
    cues = cues_of(spot.role, spot.borrowed.anchor if spot.borrowed is not None else None)
    if spot.noun is not None and spot.noun.i != spot.role.i:
        counted = cues_of(spot.noun)
        if spot.role.dep_ in {"pobj"} and spot.role.head.lower_ == "of":
            counted = [c for c in counted if c.place != "owner"]
        cues += [c for c in counted if c.place in {"noun", "modifier", "participle", "owner"}]
    reading = decide(cues)
    if reading.measure == "other" and spot.borrowed is not None:
        if _own_verb(spot.role, spot.borrowed):
            return reading  # "59 migrants drowned and more than 100 have been rescued"
        return Reading(spot.borrowed.measure, spot.borrowed.measure_tokens, False)
    if reading.measure == "other":
        whole = _listed_in(spot.noun if spot.noun is not None else spot.role)
        if whole is not None:
            return whole
    return reading


def _own_verb(number: Token, borrowed: RawFigure) -> bool:
    """Whether a number that leaves out the noun of the figure before has a verb of its own
    that says what happened to it, so that it borrows the noun but not the measure: "59
    migrants drowned and more than 100 have been rescued" (rescued: `other`). "Be" and the
    verbs of a list say nothing of their own ("2,000 bodies, and another 900 are in
    morgues": killed)."""
    verb = predicate(number)
    if verb is None or verb.pos_ != "VERB" or verb.lemma_.lower() in _EMPTY_VERBS:
        return False
    said = borrowed.measure_tokens
    if said is not None and said.start <= verb.i < said.end:
        return False
    return number.dep_ in {"nsubj", "nsubjpass", "dobj"}


def _count_on(noun: Token) -> float | None:
    number = next((c for c in noun.children if c.dep_ == "nummod" and c.like_num), None)
    return parse_number([number.text]) if number is not None else None


def _at_least(noun: Token, other: Token) -> bool:
    """Whether the count on ``noun`` is at least the count on ``other``."""
    mine, theirs = _count_on(noun), _count_on(other)
    return mine is not None and theirs is not None and mine >= theirs


def _listed_in(counted: Token) -> Reading | None:
    """The measure of the figure a part is listed in, or that a figure restates: "5,614
    deaths, including 362 children", "dozens more are missing, including 20 children",
    "9 rescue teams — 400 to 500 personnel in all"."""
    node = counted
    while node.dep_ == "conj":
        node = node.head
    if node.dep_ == "appos" and node.head.pos_ in {"NOUN", "PROPN"}:
        # "deployed 14 helicopters, 12 drones and 9 teams — 400 to 500 personnel in all":
        # a total of what it restates, not a part ("six victims (one woman and five men)")
        whole = node.head
        if not _at_least(counted, whole):
            return None
        first = whole
        while first.dep_ == "conj":
            first = first.head  # the list's verb is read from its first item
        reading = decide(cues_of(first))
        return reading if reading.measure != "other" else None
    if node.dep_ != "pobj" or node.head.lower_ not in _LISTING:
        return None
    whole = node.head.head
    if whole.pos_ in {"VERB", "AUX", "ADJ"}:
        reading = decide(verb_cues(whole, SUBJECT_SYNONYMS.get(counted.lower_, counted.lower_)))
    elif whole.pos_ in {"NOUN", "PROPN", "NUM"}:
        reading = decide(cues_of(whole))
    else:
        return None
    return reading if reading.measure != "other" else None


def _subject(spot: _Spot, phrase: Span) -> tuple[Span | None, str]:
    if spot.currency is not None:
        return spot.currency.doc[spot.currency.i : spot.currency.i + 1], CURRENCIES.get(
            spot.currency.lower_, spot.currency.lower_
        )
    if spot.borrowed is not None:
        return spot.borrowed.subject, spot.borrowed.subject_key
    if spot.noun is None:
        return None, "people"
    return subject_of_figure(spot.noun, range(phrase.start, phrase.end))


def _group_head(group: list[Token]) -> Token:
    """The token of a number group that hangs outside it: "two-thousand-300" → "thousand-300"."""
    inside = {t.i for t in group}
    heads = [t for t in group if t.head.i not in inside or t.head.i == t.i]
    return heads[-1] if heads else group[-1]


def _not_a_number_here(group: list[Token], head: Token) -> bool:
    """A date written in digits, a number glued to a unit word ("7.7-magnitude",
    "six-story", "12-year-old", "20- to 30-meter"), a number after a month name ("January
    19") or after a word it measures ("magnitude 8", "aged 70"), or before a unit that is
    never counted ("37 miles", "54 min", "108 hours")."""
    doc = head.doc
    first, last = group[0], group[-1]
    # the whole word the number is written in ("2025-01-13"), by tokens: Doc.text would
    # build the document's text anew on each call
    start, end = first.i, last.i
    while start > 0 and not doc[start - 1].whitespace_ and not doc[start - 1].is_space:
        start -= 1
    while end + 1 < len(doc) and not doc[end].whitespace_ and not doc[end + 1].is_space:
        end += 1
    chunk = doc[start : end + 1].text.strip(".,;:()[]\"'“”‘’")
    if _DATE.match(chunk):
        return True
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if after is not None and after.text in _DASHES and not last.whitespace_:
        beyond = doc[after.i + 1] if after.i + 1 < len(doc) else None
        if after.whitespace_ or beyond is None or not is_numberish(beyond.text):
            return True  # "7.7-magnitude", "20- to 30-meter"
    before = doc[first.i - 1] if first.i > 0 else None
    if before is not None and before.lower_ in NOT_COUNTED_AFTER:
        return True
    if _after_month(first):
        return True
    if after is not None and (after.lower_ in NOT_COUNTED or after.lemma_.lower() in NOT_COUNTED):
        return True
    noun = head.head if head.dep_ in {"nummod", "compound"} else None
    return noun is not None and (noun.lower_ in NOT_COUNTED or noun.lemma_.lower() in NOT_COUNTED)


def _after_month(first: Token) -> bool:
    """ "January 19", "Feb. 24", "19 January", "October 7, 2023": a day or a year."""
    doc = first.doc

    def month(i: int) -> bool:
        return 0 <= i < len(doc) and doc[i].lower_.rstrip(".") in MONTHS and doc[i].is_title

    if len(first.text) <= 2 and (month(first.i - 1) or month(first.i + 1)):
        return True
    if not _YEAR.match(first.text):
        return False
    if month(first.i - 1):
        return True
    return first.i >= 3 and doc[first.i - 1].text == "," and month(first.i - 3)


def _counts_nothing(spot: _Spot, phrase: Span, amount: Amount, reading: Reading) -> bool:
    """A figure that names rather than counts, read once its measure is known: a year
    ("the 1994 genocide"), "one resident", "the two countries", "the five most
    destructive fires", "two officials said", a conversion or breakdown in brackets after
    another figure, "several years"."""
    if reading.measure != "other":
        return False
    doc = phrase.doc
    words = [t for t in phrase if not t.is_punct]
    noun = spot.noun
    if len(words) == 1 and _YEAR.match(words[0].text) and spot.currency is None:
        return True
    if noun is not None and amount.value == 1 and noun.tag_ in {"NN", "NNP"}:
        return True  # "one resident", "one reason", "one senior official"
    before = doc[phrase.start - 1] if phrase.start > 0 else None
    if before is not None and before.lower_ in REFERENCE_DETERMINERS and amount.value < 10:
        return True  # "the two countries", "both"
    after = doc[phrase.end] if phrase.end < len(doc) else None
    if after is not None and after.tag_ in {"JJS", "RBS"}:
        return True  # "the five most destructive fires", "the two largest"
    if noun is not None and _is_speaker(noun):
        return True
    if _in_brackets(phrase):
        return True
    return bool(
        phrase[0].lower_ in WEAK_VAGUE or (len(phrase) > 1 and phrase[1].lower_ in WEAK_VAGUE)
    )


def _no_figure(spot: _Spot, amount: Amount) -> bool:
    """Whatever the measure: a zero ("0% contained", "zero deaths") states that nothing
    happened, which the ledger no more keeps than "no one was killed"; and a part of a
    breakdown of a total stated before ("Casualties included six nurses, 14 drivers and
    three teachers"): the ledger keeps the total, not its long list of groups."""
    if amount.low == 0 and not amount.high:
        return True
    return spot.noun is not None and _long_breakdown(spot.noun)


def _long_breakdown(noun: Token) -> bool:
    """A counted noun in a list of at least ``BREAKDOWN_PARTS`` counted nouns that is the
    object of a verb of inclusion whose subject carries no figure of its own: "Casualties
    included six nurses, 14 drivers and three teachers" (the casualties were counted
    before). A list whose whole is counted in the sentence ("3,500 deaths, including
    2,100 in the north and 1,400 in the south"), "the dead include 382 children" and
    lists with fewer parts stay claims."""
    first = noun
    while first.dep_ in _LIST_DEPS:
        first = first.head
    verb = first.head
    if first.dep_ not in {"dobj", "attr"} or verb.lemma_.lower() not in INCLUSION_VERBS:
        return False
    whole = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if whole is None or any(t.like_num or t.lower_ in VAGUE_HEADS for t in whole.subtree):
        return False
    parts, stack = 0, [first]
    while stack:
        node = stack.pop()
        if any(c.dep_ == "nummod" for c in node.children):
            parts += 1
        stack.extend(c for c in node.children if c.dep_ in _LIST_DEPS)
    return parts >= BREAKDOWN_PARTS


def _is_speaker(noun: Token) -> bool:
    """ "two officials said", "according to two officials": the figure counts who speaks."""
    node = noun
    while node.dep_ == "conj":
        node = node.head
    verb = node.head
    if node.dep_ in {"nsubj"} and verb.lemma_.lower() in REPORTING_VERBS:
        # a verb of saying, not one that only can be ("54 drones found their targets")
        deps = {c.dep_ for c in verb.children}
        return (
            bool(deps & {"ccomp", "xcomp", "parataxis"})
            or "dobj" not in deps
            or (verb.lemma_.lower() in {"say", "tell"})
        )
    prep = node.head
    return node.dep_ == "pobj" and prep.lower_ == "to" and prep.head.lower_ == "according"


def _in_brackets(phrase: Span) -> bool:
    """Inside brackets in its sentence: "(60 km)", "(one woman and five men)"."""
    sent = phrase.sent
    opened = [t for t in sent if t.i < phrase.start and t.text in {"(", "["}]
    closed = [t for t in sent if t.i < phrase.start and t.text in {")", "]"}]
    return len(opened) > len(closed)


def _currency_before(first: Token) -> Token | None:
    doc = first.doc
    if first.i == 0:
        return None
    sign = doc[first.i - 1]
    if sign.lower_ in CURRENCIES and not sign.whitespace_:
        return sign
    return None


def _partitive(number: Token, group: list[Token] | None = None) -> Token | None:
    """The whole a number is a part of: "718 of the 728 drones" → drones; "seven of 13
    missiles" (read in order where the parse hangs "seven" on the 13)."""
    of = next((c for c in number.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None:
        return next((c for c in of.children if c.dep_ == "pobj"), None)
    if group is None:
        return None
    doc = number.doc
    i = group[-1].i + 1
    if i >= len(doc) or doc[i].lower_ != "of":
        return None
    i += 2 if i + 1 < len(doc) and doc[i + 1].lower_ == "the" else 1
    if i >= len(doc) or not doc[i].like_num:
        return None
    whole = _group_head(number_group(doc[i]))
    return whole.head if whole.dep_ == "nummod" and whole.head.pos_ == "NOUN" else None


def _is_whole(group: list[Token]) -> bool:
    """ "the 728" of "718 of the 728 drones": a number written after "N of (the)"."""
    doc = group[0].doc
    i = group[0].i - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return i >= 1 and doc[i].lower_ == "of" and doc[i - 1].like_num


def _total_of(number: Token) -> Token | None:
    """The noun a bare number totals: "casualties exceeded 5,000" → casualties, "the
    number of people killed has reached 23,831" → number, "losses of up to 3,000" →
    losses."""
    if number.dep_ == "pobj" and number.head.lower_ == "of":
        owner = number.head.head
        if owner.pos_ in {"NOUN", "PROPN"} and (
            is_measure_noun(owner) or any(is_measure_noun(c) for c in owner.children)
        ):
            return owner
    verb = total_verb(number)
    if verb is None:
        return None
    subject = total_of_verb(verb)
    if subject is None or subject.i == number.i:
        return None
    if total_subject_cues(subject):
        return subject
    return None


def _elided_from(
    number: Token, figures: list[RawFigure], skip: Container[int], look_back: bool = True
) -> RawFigure | None:
    """The figure before in the sentence whose noun this bare number leaves out: "700
    people had been killed and 2,800 injured", "2,000 bodies, and another 900 are in
    morgues", "five of the fatalities ..., while 11 ...", "the Palisades fire has burned
    more than 5,300 structures, and the Eaton fire, more than 5,000" (looked for before
    the span read, too)."""
    listed = number.dep_ == "pobj" and number.head.lower_ in _LISTING
    changed = (
        number.dep_ == "pobj"
        and number.head.lower_ == "from"
        and number.head.head.lemma_.lower() in CHANGE_NOUNS
    )  # "40 missing, a sharp drop from the 120 reported on Monday": the earlier figure
    if number.dep_ not in _ELIDED_DEPS and not listed and not changed:
        return None
    if figures and figures[-1].anchor.sent == number.sent:
        return figures[-1]
    sent = number.sent
    if not look_back or number.i <= sent.start:
        return None
    before = [
        f
        for f in find_figures(number.doc[sent.start : number.i], skip, look_back=False)
        if (f.fraction is None and f.subject_key != PEOPLE) or f.measure != "other"
    ]
    return before[-1] if before else None


def _vague_spot(
    tok: Token, figures: list[RawFigure], skip: Container[int], look_back: bool = True
) -> _Spot | None:
    """ "dozens of soldiers", "several soldiers"; "dozens more were missing" counts people
    (or the noun of the figure before)."""
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    noun: Token | None = None
    if of is not None:
        noun = next((c for c in of.children if c.dep_ == "pobj"), None)
    elif tok.dep_ in {"amod", "nummod"} and tok.head.pos_ in {"NOUN", "PROPN"}:
        noun = tok.head
    if noun is not None:
        return _Spot([tok], "count", noun, noun, noun)
    if tok.pos_ not in {"NOUN", "NUM"}:
        return None
    borrowed = _elided_from(tok, figures, skip, look_back)
    if borrowed is None and decide(cues_of(tok)).measure == "other":
        return None
    # "dozens more were missing", "the displacement of thousands"
    return _Spot([tok], "count", None, tok, tok, borrowed=borrowed)


def _fraction_spot(
    tok: Token, figures: list[RawFigure], skip: Container[int], look_back: bool = True
) -> _Spot | None:
    found = _fraction(tok)
    if found is None:
        return None
    core, noun = found
    if noun is not None and noun.lower_ in {"million", "billion", "thousand"}:
        # "a quarter of a million": a count, of whatever the scale counts
        core = [*core, *noun.doc[core[-1].i + 1 : noun.i + 1]]
        counted = noun.head if noun.dep_ == "nummod" else None
        role = counted or core[0]
        total = _total_of(core[0]) if counted is None else None
        return _Spot(core, "count", counted or total, role, counted or total or core[0])
    if noun is None:
        # "20% are women" after "40% of those killed": the whole of the figure before
        before = next((f for f in reversed(figures) if f.fraction is not None), None)
        if before is None or before.anchor.sent != tok.sent:
            before = _fraction_before(core[0], skip) if look_back else None
        if before is not None:
            return _Spot(core, "fraction", None, core[-1], before.anchor, borrowed=before)
        last = core[-1]
        if last.dep_ in {"compound", "nummod", "amod"} and last.head.pos_ == "NOUN":
            return _Spot(core, "fraction", last.head, last.head, last.head)  # "a 35% chance"
        if last.dep_ in {"npadvmod", "advmod"} and last.head.pos_ in {"VERB", "ADJ"}:
            whole = clause_subject(last.head)  # "the fire is 11% contained"
            if whole is not None and whole.pos_ in {"NOUN", "PROPN"}:
                return _Spot(core, "fraction", whole, last, whole)
        return None
    if noun.lower_ in _BACK_PRONOUNS:
        # "94 victims, about a third of them children": a share of the figure before
        before = figures[-1] if figures and figures[-1].anchor.sent == tok.sent else None
        if before is not None and before.fraction is None:
            return _Spot(core, "fraction", None, core[-1], before.anchor, borrowed=before)
    base = _stated_base(noun, skip)
    return _Spot(core, "fraction", noun, noun, noun, base=base)


def _fraction_before(first: Token, skip: Container[int]) -> RawFigure | None:
    """The last share with an "of" earlier in the sentence, though outside the span read:
    "about 40% of those killed ... , 20% are women"."""
    sent = first.sent
    if first.i <= sent.start:
        return None
    before = [
        f
        for f in find_figures(first.doc[sent.start : first.i], skip, look_back=False)
        if f.fraction
    ]
    return before[-1] if before else None


def _fraction(tok: Token) -> tuple[list[Token], Token | None] | None:
    """The words of a fraction and the noun it is a fraction of: "one-third of these
    soldiers", "half of the soldiers", "30% of the force", "30 percent of the troops";
    the noun is None where no "of" follows ("20% are women")."""
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
    elif low in PERCENT_WORDS or low.endswith("%"):
        if low == "per":
            if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "cent":
                return None
            tok = doc[tok.i + 1]
        num = next((c for c in tok.children if c.like_num), None)
        start = parts[0].i
        if (
            num is None
            and start > 0
            and (doc[start - 1].like_num or _GLUED_PER.match(doc[start - 1].text))
        ):
            num = doc[start - 1]  # "30 percent", "60per cent"
        if num is None and low.endswith("%") and len(low) > 1:
            num = tok  # "30%" in one token
        if num is None:
            return None
        parts = list(doc[num.i : tok.i + 1])
    of = next((c for t in parts for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is None and parts[-1].dep_ == "appos":
        # "the majority (91 per cent) of the casualties"
        of = next(
            (c for c in parts[-1].head.children if c.dep_ == "prep" and c.lower_ == "of"), None
        )
    if of is None:
        if low in FRACTION_NOUNS:
            return None  # "half" alone is no figure
        return parts, None
    noun = next((c for c in of.children if c.dep_ == "pobj"), None)
    return (parts, noun) if noun is not None else None


def _stated_base(noun: Token, skip: Container[int]) -> tuple[Amount, Span] | None:
    """A count written into the fraction's own phrase: "half of the 12,000 troops"."""
    number = next((c for c in noun.children if c.dep_ == "nummod" and c.like_num), None)
    if number is None or number.i in skip:
        return None
    parts = number_group(number)
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
