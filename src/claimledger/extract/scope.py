"""Figures outside every attribution's content: which are claims and whose they are.

A report states many figures in its own voice (headlines, the lead, bullet summaries) and
goes on with a statement past the sentence that names its speaker ("The Air Force said it
shot down 54 drones. Another 12 were jammed."). Two small scored decisions read them:

- :func:`reportable_cues`: is the figure news at all, or background (a distance, a year, a
  place's population, a figure of an earlier event, list numbering);
- :func:`carry_cues`: is it the outlet's own, or the statement's before it, after it or
  around it in its own sentence.

Each returns the cues that hold; the weights and word lists are data
(``data/lexicon/scope.toml``) and :func:`score` adds them up.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from claimledger.lexicon import rows, sequence, words
from claimledger.nlp.attribution import RawAttribution
from claimledger.nlp.figures import RawFigure, find_figures
from claimledger.nlp.time import resolve_time

# Entity types whose words are a name, not a count: "Camp 4", "Route 66", "Apollo 11".
_NAME_TYPES = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"}
)
_BULLETS = frozenset({"-", "–", "—", "•", "*", '"', "“", "‘", "'"})
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]…]\s*$")
_OPEN_BOUNDS = frozenset({"above", "at_least", "below", "at_most", "approx"})
# A point in time more than this long before publication is another event's.
_EARLIER_EVENT = dt.timedelta(days=60)


@cache
def weights(decision: str) -> tuple[tuple[str, int], ...]:
    """The (cue, weight) rows of ``scope.reportable`` or ``scope.carry``."""
    return tuple((row["cue"], row["weight"]) for row in rows(f"scope.{decision}"))


def score(decision: str, cues: Iterable[str]) -> int:
    """The bias of ``decision`` plus the weight of each cue that holds (a cue listed twice
    counts twice)."""
    held = set(cues) | {"bias"}
    return sum(weight for cue, weight in weights(decision) if cue in held)


@cache
def _words(name: str) -> frozenset[str]:
    return words(f"scope.{name}")


@cache
def _phrases(name: str) -> tuple[tuple[str, ...], ...]:
    """A list of phrases, each as its words, longest first."""
    found = {tuple(p.split()) for p in sequence(f"scope.{name}")}
    return tuple(sorted(found, key=len, reverse=True))


@cache
def _vague_heads() -> frozenset[str]:
    return words("numbers.vague_heads")


@dataclass(frozen=True)
class Outside:
    """A figure outside every content that is a claim: ``attribution`` is the index of the
    raw attribution it is carried from, or None for the outlet's own voice."""

    figure: RawFigure
    attribution: int | None


class Layout:
    """A Doc's sentences and paragraphs (its lines: stored pages put a paragraph on a
    line), the headline lines above the text and its lead paragraph."""

    def __init__(self, doc: Doc, furniture: set[int]) -> None:
        self.doc = doc
        self.sents = list(doc.sents)
        self._starts = [s.start for s in self.sents]
        text = self.text = doc.text
        self._line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.headlines: set[int] = set()
        lead_ends = len(text)
        for index, sent in enumerate(self.sents):
            words_ = [t for t in sent if not t.is_space and t.i not in furniture]
            if not words_:
                continue
            line = self.paragraph(words_[0])
            whole_line = line == self.paragraph(words_[-1]) and self._alone_on_line(sent)
            if whole_line and not _SENTENCE_END.search(sent.text):
                self.headlines.add(index)
                continue
            if lead_ends == len(text) and _SENTENCE_END.search(sent.text):
                # the first paragraph of sentences is the lead
                end = text.find("\n", words_[-1].idx)
                lead_ends = end if end >= 0 else len(text)
        self.lead_ends = lead_ends

    def _alone_on_line(self, sent: Span) -> bool:
        text = self.text  # Doc.text is built anew on each access
        line_start = text.rfind("\n", 0, sent.start_char) + 1
        line_end = text.find("\n", sent.end_char)
        before = text[line_start : sent.start_char]
        after = text[sent.end_char : line_end if line_end >= 0 else len(text)]
        return not before.strip() and not after.strip()

    def sentence(self, token: int) -> int:
        return bisect_right(self._starts, token) - 1

    def paragraph(self, token: Token) -> int:
        return bisect_right(self._line_starts, token.idx) - 1


def outside_figures(
    doc: Doc,
    raws: Sequence[RawAttribution],
    inside: dict[int, list[RawFigure]],
    skip: set[int],
    times: Sequence[Span],
    published: dt.date | None,
    furniture: set[int],
) -> list[Outside]:
    """The figures in what no attribution's content covers, that are claims, each with the
    attribution it is carried from (None: the outlet's own voice). ``inside``: the figures
    found in each attribution's content, by index; ``skip``: tokens no figure is read from
    (time expressions, furniture)."""
    layout = Layout(doc, furniture)
    covered: set[int] = set()
    for raw in raws:
        for part in (raw.content, *raw.content_more):
            covered.update(range(part.start, part.end))
        # a source's own words are read: a figure taken for a speaker is still a figure
        # ("many thousands believed to be under the rubble", "six people have lost their
        # lives ..., emphasizing"); one that counts who speaks ("two officials said") is
        # left out where figures are found
        spans = [raw.cue, *(v.name for v in raw.via), *(v.cue for v in raw.via)]
        for span in spans:
            if span is not None:
                covered.update(range(span.start, span.end))
    banned = skip | covered | furniture
    years = _story_year(times, published)
    found: list[Outside] = []
    for sent in layout.sents:
        if all(t.i in banned or t.is_space for t in sent):
            continue
        for figure in find_figures(sent, banned):
            if score("reportable", reportable_cues(figure, times, published, years)) <= 0:
                continue
            found.append(Outside(figure, carried_from(figure, raws, inside, layout)))
    return found


def _story_year(times: Sequence[Span], published: dt.date | None) -> int | None:
    """The year the story is in: the publication's, or the latest year the text names."""
    if published is not None:
        return published.year
    years = [
        value.start.year
        for span in times
        if (value := resolve_time(span.text, None)).year_known and value.start is not None
    ]
    return max(years, default=None)


# --- is it news: reportable -----------------------------------------------------------------


def reportable_cues(
    figure: RawFigure,
    times: Sequence[Span],
    published: dt.date | None,
    story_year: int | None,
) -> set[str]:
    """The cues of ``scope.reportable`` that hold for a figure outside every content."""
    doc = figure.tokens.doc
    phrase = figure.tokens
    anchor = figure.anchor
    numbers = [t for t in phrase if t.like_num]
    last = numbers[-1] if numbers else phrase[-1]
    after = doc[phrase.end] if phrase.end < len(doc) else None
    before = doc[phrase.start - 1] if phrase.start > 0 else None
    amount = figure.amount
    cues: set[str] = set()
    if figure.measure not in ("other", "absent"):
        cues.add("measure")
    counted = {anchor.lower_, anchor.lemma_.lower()}
    if counted & _words("people") or anchor.ent_type_ == "NORP":
        cues.add("people")
    if amount.approx or amount.bound in _OPEN_BOUNDS:
        cues.add("bounded")
    between = doc[last.i + 1 : anchor.i] if anchor.i > last.i else doc[0:0]
    if (
        counted & _words("units")
        or (before is not None and before.lower_ in _words("units"))
        or any(t.lower_ in _words("units") for t in between)
    ):
        cues.add("unit")  # "50 miles", "magnitude 7.8", "a 6.4 magnitude aftershock"
    if phrase[-1].text == "-" or (
        after is not None and after.text in {"-", "–"} and not last.whitespace_
    ):
        cues.add("hyphenated")
    if (
        len(numbers) == 1
        and re.fullmatch(r"(?:1[89]|20)\d\d", numbers[0].text)
        and amount.bound == "exact"
    ):
        cues.add("year")
    if any(_in_name(t) for t in numbers) or (
        anchor.pos_ == "PROPN" and numbers and anchor.i < numbers[0].i
    ):
        cues.add("in_name")
    if _list_number(phrase):
        cues.add("list_number")
    if counted & _words("not_counted") or (
        amount.value == 1 and after is not None and after.lower_ == "of"
    ):
        cues.add("not_counted")
    if counted & _words("background") and amount.kind != "fraction":
        cues.add("background")  # a share of a population is news: "1.7% of the population"
    if _after_phrase(doc, phrase.start, _phrases("population_frames")):
        cues.add("population")
    if _earlier_event(figure, times, published, story_year):
        cues.add("other_event")
    if figure.measure == "other" and any(t.lower_ in _vague_heads() for t in phrase):
        cues.add("vague_other")
    if any(t.tag_ in {"JJS", "RBS"} or t.lower_ == "most" for t in between[:2]):
        cues.add("superlative")
    single = amount.value == 1 and amount.kind == "count"
    if single and "people" not in cues:
        cues.add("single_thing")  # "under one apartment building"
    determiner = doc[phrase.start - 1] if phrase.start > 0 else None
    if (
        determiner is not None
        and determiner.lower_ in {"the", "both", "these", "those"}
        and amount.bound == "exact"
        and amount.value <= 5
    ):
        cues.add("definite")  # "the two fires", "between the two countries"
    if _breakdown(phrase):
        cues.add("breakdown")
    return cues


def _breakdown(phrase: Span) -> bool:
    """A figure that breaks down the one before it, in brackets or between dashes: "14
    people – 13 men and one woman – were found dead", "six victims (one woman and five
    men)"."""
    doc = phrase.doc
    sent = phrase.sent
    i = next((t.i for t in phrase if t.like_num), phrase.start) - 1
    while i > sent.start and (doc[i].like_num or doc[i].pos_ in {"NOUN", "CCONJ", "PUNCT"}):
        if doc[i].text == "(" or (doc[i].text in {"–", "—", "-"} and doc[i].whitespace_):
            head = doc[i - 1] if i > sent.start else None
            return head is not None and any(c.like_num for c in head.children)
        if doc[i].text == ",":
            return False
        i -= 1
    return False


def _in_name(number: Token) -> bool:
    """A number inside a named entity that has words of a name too: "Camp 4", "Apollo
    11" (the tagger's entity on a lone number, "104 people" as a PRODUCT, is no name)."""
    if number.ent_type_ not in _NAME_TYPES:
        return False
    doc = number.doc
    start = number.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = number.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return any(t.pos_ == "PROPN" and not t.like_num for t in doc[start:end])


def _list_number(phrase: Span) -> bool:
    """ "1. Rescuers ...", "3) ...", "the top 10", "No. 4"."""
    doc = phrase.doc
    first = phrase[0]
    start = phrase.sent.start
    while start < first.i and (doc[start].is_space or doc[start].text in _BULLETS):
        start += 1
    if first.i == start and first.i + 1 < len(doc) and doc[first.i + 1].text in {".", ")"}:
        return True
    last = doc[first.i - 1].lower_ if first.i > 0 else ""
    two = doc[first.i - 2].lower_ + last if first.i > 1 else last
    return last in {"top", "no.", "number", "#"} or two == "no."


def _after_phrase(doc: Doc, start: int, phrases: Iterable[tuple[str, ...]]) -> bool:
    """Whether one of ``phrases`` ends right before token ``start`` (an article between
    them allowed: "a town of 25,000", "home to some 17 million")."""
    for phrase in phrases:
        for gap in (0, 1):
            begin = start - gap - len(phrase)
            if begin < 0:
                continue
            if tuple(t.lower_ for t in doc[begin : begin + len(phrase)]) == phrase:
                return True
    return False


def _earlier_event(
    figure: RawFigure,
    times: Sequence[Span],
    published: dt.date | None,
    story_year: int | None,
) -> bool:
    """A point in time in the figure's sentence that lies well before the story: "In 2017,
    the Tubbs fire burned 5,600 structures", "In February, 96 people died" (in a June
    report). Stretches up to now ("since 2022") are the story's own."""
    sent = figure.tokens.sent
    for span in times:
        if span.start < sent.start or span.end > sent.end:
            continue
        if span[0].lower_ in {"since", "for", "from", "between", "until", "by"}:
            continue
        previous = span.doc[span.start - 1].lower_ if span.start > 0 else ""
        if previous in {"since", "from", "between", "until", "through"}:
            continue
        value = resolve_time(span.text, published)
        if value.kind != "point" or value.end is None:
            continue
        if value.year_known and story_year is not None and value.end.year < story_year:
            return True
        if published is not None and value.year_known and value.end < published - _EARLIER_EVENT:
            return True
    return False


# --- whose is it: carry -------------------------------------------------------------------


def _parts(raw: RawAttribution) -> list[Span]:
    return [raw.content, *raw.content_more]


def carried_from(
    figure: RawFigure,
    raws: Sequence[RawAttribution],
    inside: dict[int, list[RawFigure]],
    layout: Layout,
) -> int | None:
    """The attribution a figure outside every content belongs to, or None (the outlet's
    own voice): the best scored of the statement in its own sentence, the one before it
    and the one after it."""
    best: tuple[int, int] | None = None
    for index, where in _candidates(figure, raws, layout):
        cues = carry_cues(figure, raws[index], inside.get(index, []), where, layout)
        total = score("carry", cues)
        if total > 0 and (best is None or total > best[0]):
            best = (total, index)
    return best[1] if best is not None else None


def _candidates(
    figure: RawFigure, raws: Sequence[RawAttribution], layout: Layout
) -> list[tuple[int, str]]:
    """(index, "same" | "previous" | "next") of the statements a figure may go with."""
    start, end = figure.tokens.start, figure.tokens.end
    here = layout.sentence(start)
    found: list[tuple[int, str]] = []
    previous: tuple[int, int] | None = None
    following: tuple[int, int] | None = None
    for index, raw in enumerate(raws):
        if raw.source is not None and raw.source.start < end and start < raw.source.end:
            continue  # the figure was taken for this statement's speaker: not its words
        cue_sentence = layout.sentence(raw.cue.start)
        parts = _parts(raw)
        if cue_sentence == here:
            found.append((index, "same"))
            continue
        last = max(p.end for p in parts)
        first = min(p.start for p in parts)
        near_before = here - 2 <= layout.sentence(last - 1) and cue_sentence < here
        if last <= start and near_before and (previous is None or last > previous[0]):
            previous = (last, index)
        near_after = here + 1 in {cue_sentence, layout.sentence(first)}
        if first >= end and near_after and (following is None or first < following[0]):
            following = (first, index)
    if previous is not None:
        found.append((previous[1], "previous"))
    if following is not None:
        found.append((following[1], "next"))
    return found


def _words_of(span: Span) -> list[Token]:
    """A span's words, without the bullets, quotes and spaces that open it."""
    tokens = list(span)
    while tokens and (tokens[0].is_space or tokens[0].text in _BULLETS):
        tokens.pop(0)
    return tokens


def _first_word(span: Span) -> int | None:
    words_ = _words_of(span)
    return words_[0].i if words_ else None


def _opens_with(sent: Span, phrases: Iterable[tuple[str, ...]]) -> bool:
    tokens = _words_of(sent)
    lowered = [t.lower_ for t in tokens[:6]]
    return any(tuple(lowered[: len(p)]) == p for p in phrases)


def carry_cues(
    figure: RawFigure,
    raw: RawAttribution,
    stated: list[RawFigure],
    where: str,
    layout: Layout,
) -> set[str]:
    """The cues of ``scope.carry`` that hold for carrying ``raw``'s attribution to a figure
    outside its content; ``where``: "same" sentence, "previous" or "next" statement;
    ``stated``: the figures in ``raw``'s content."""
    doc = figure.tokens.doc
    here = layout.sentence(figure.tokens.start)
    sent = layout.sents[here]
    cues: set[str] = set()
    parts = _parts(raw)
    if where == "same":
        cues.add("same_sentence")
        if _subordinate(raw.cue.root, figure):
            cues.add("cue_subordinate")
    elif where == "previous":
        nearest = doc[max(p.end for p in parts) - 1]
        if layout.sentence(nearest.i) >= here - 1:
            cues.add("previous_sentence")
        if _opens_with(sent, _phrases("openers")):
            cues.add("opener")
    else:
        nearest = doc[min(p.start for p in parts)]
        following = layout.sents[here + 1] if here + 1 < len(layout.sents) else None
        # "Most were killed by shelling, the mission said": what the statement says
        # opens the next sentence and goes on from the figure
        if (
            following is not None
            and _first_word(following) == _first_word(raw.content)
            and _opens_with(following, _phrases("openers"))
        ):
            cues.add("next_opener")
        if any(_points_back(part) for part in parts):
            cues.add("refers_back")
    if where != "same":
        same = layout.paragraph(nearest) == layout.paragraph(figure.tokens[0])
        cues.add("same_paragraph" if same else "other_paragraph")
    if stated:
        cues.add("statement_has_figures")
    if any(
        (f.measure == figure.measure and f.measure != "other")
        or f.subject_key == figure.subject_key
        for f in stated
    ):
        cues.add("same_measure")
    if here in layout.headlines:
        cues.add("headline")
    elif figure.tokens[0].idx < layout.lead_ends and where == "previous":
        cues.add("lead")
    if raw.style == "direct" and where != "next":
        cues.add("direct_quote")
    return cues


# Clauses that hang off another clause: a cue in one does not govern the clause above it.
_DEPENDENT_CLAUSES = frozenset({"advcl", "relcl", "acl", "pcomp"})


def _subordinate(cue: Token, figure: RawFigure) -> bool:
    """Whether the cue sits in a clause that depends on the figure's own clause: "At least
    five people died, with officials warning the toll may rise", "Hundreds returned after
    the rebels cleared the streets, claiming ..."; not "N died, according to officials"."""
    number = next((t for t in figure.tokens if t.like_num), figure.tokens[0])
    clause = number
    while clause.pos_ not in {"VERB", "AUX"} and clause.head != clause:
        clause = clause.head
    node, dependent = cue, False
    while node != clause and node.head != node:
        dependent = dependent or node.dep_ in _DEPENDENT_CLAUSES
        node = node.head
    return node == clause and dependent


def _points_back(content: Span) -> bool:
    """ "these figures", "the actual number", "the real toll" early in a statement."""
    for left, right in pairwise(content[:14]):
        if right.lower_ in _words("figure_nouns") and left.lower_ in _words("pointing_back"):
            return True
    return False
