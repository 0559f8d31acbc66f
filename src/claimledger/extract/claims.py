"""Claim records from the figures in what was said and in what the outlet says itself:
each figure's quantity as an interval (a fraction taken of its base), when it holds,
where, and whose statement it is in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span

from claimledger.extract.scope import outside_figures
from claimledger.extract.spans import char_spans, time_ref
from claimledger.nlp.amounts import Amount
from claimledger.nlp.attribution import RawAttribution
from claimledger.nlp.datelines import furniture_tokens
from claimledger.nlp.figures import RawFigure, find_durations, find_figures
from claimledger.nlp.places import place_key, place_of
from claimledger.nlp.time.component import spans_starting_in
from claimledger.records import (
    Attribution,
    Base,
    Claim,
    Place,
    Quantity,
    Rate,
    Spans,
    Subject,
    TimeRef,
)


def build_claims(
    doc: Doc,
    raws: Sequence[RawAttribution],
    attributions: Sequence[Attribution],
    times: list[Span],
    published: dt.date | None,
) -> tuple[Claim, ...]:
    """A claim per figure, in text order: each figure in what an attribution says (a figure
    inside a nested statement is the nested attribution's), and each figure outside every
    content that is news rather than background (:mod:`claimledger.extract.scope`), either
    the outlet's own (attribution None) or carried from the statement the article goes on
    with. ``times``: the Doc's time expressions, which are not figures themselves but say
    when a figure holds."""
    furniture = furniture_tokens(doc)
    time_tokens = {i for s in times for i in range(s.start, s.end)} | furniture
    found: list[tuple[RawFigure, Attribution | None]] = []
    inside: dict[int, list[RawFigure]] = {}
    scopes: dict[int, list[Span]] = {}  # each figure's statement, where its place is read
    for index, (raw, attribution) in enumerate(zip(raws, attributions, strict=True)):
        inner = {
            i
            for child in raws
            if child.parent == index and _within(child, raw)
            for part in (child.content, *child.content_more)
            for i in range(part.start, part.end)
        }
        skip = time_tokens | inner
        parts = [raw.content, *raw.content_more]
        figures = [f for part in parts for f in find_figures(part, skip)]
        figures += [f for f in find_durations(raw.content, times) if f.tokens.start not in inner]
        found.extend((f, attribution) for f in figures)
        inside[index] = figures
        for f in figures:
            scopes[id(f)] = parts
    for outside in outside_figures(doc, raws, inside, time_tokens, times, published, furniture):
        figure = outside.figure
        carried = attributions[outside.attribution] if outside.attribution is not None else None
        found.append((figure, carried))
        scopes[id(figure)] = [figure.tokens.sent]
    found.sort(key=lambda pair: pair[0].tokens.start)
    speakers = {
        i: raw.source
        for raw in raws
        if raw.source is not None
        for i in range(raw.source.start, raw.source.end)
    }
    found = [pair for pair in found if not _describes_speaker(pair[0], speakers)]
    claims: list[Claim] = []
    raw_of: dict[str, RawFigure] = {}
    for figure, said_in in found:
        claim_id = f"c{len(claims) + 1}"
        quantity = _quantity(figure, claims, raw_of)
        if quantity is None:
            continue
        time = _claim_time(figure, said_in, published, times)
        subject_span = figure.subject
        place = place_of(figure.anchor, scopes[id(figure)])
        claims.append(
            Claim(
                id=claim_id,
                attribution=said_in.id if said_in is not None else None,
                subject=Subject(
                    # no words name what is counted ("1,000 deaths"): its key says it
                    text=subject_span.text if subject_span is not None else figure.subject_key,
                    key=figure.subject_key,
                    spans=char_spans(subject_span),
                ),
                measure=figure.measure,
                measure_text=figure.measure_tokens.text if figure.measure_tokens else "",
                quantity=quantity,
                polarity="negative" if figure.negated else "positive",
                time=time,
                certainty=said_in.certainty if said_in is not None else "asserted",
                spans=_merge(char_spans(figure.tokens, subject_span, figure.measure_tokens)),
                place=(
                    Place(text=place.text, key=place_key(place.text), spans=char_spans(place))
                    if place is not None
                    else None
                ),
                modality=figure.modality,
                rate=(
                    Rate(
                        text=figure.rate[0].text,
                        per=figure.rate[1],
                        spans=char_spans(figure.rate[0]),
                    )
                    if figure.rate is not None
                    else None
                ),
            )
        )
        raw_of[claim_id] = figure
    return tuple(claims)


def _describes_speaker(figure: RawFigure, speakers: dict[int, Span]) -> bool:
    """A figure inside the words that name a speaker, counting something else than the
    speaker: "said a relative of two of the victims", "a mother of three told reporters".
    A figure the attribution reader took for the speaker itself ("with many thousands
    believed to be under the rubble") is still a claim. ``speakers``: each token of a
    speaker's words, to those words."""
    start, end = figure.tokens.start, figure.tokens.end
    source = speakers.get(start)
    if source is None or end > source.end:
        return False
    head = source.root
    return head.i != figure.anchor.i and not start <= head.i < end


def _within(child: RawAttribution, parent: RawAttribution) -> bool:
    """Whether a nested statement's content lies inside its parent's: only then are its
    figures its own rather than the parent's (a parse may nest two statements in each
    other, each holding the other's content)."""
    parts = [(p.start, p.end) for p in (parent.content, *parent.content_more)]
    return all(
        any(start <= part.start and part.end <= end for start, end in parts)
        for part in (child.content, *child.content_more)
    )


def _merge(spans: Iterable[tuple[int, int]]) -> Spans:
    return tuple(sorted(set(spans)))


def _quantity(
    figure: RawFigure, earlier: list[Claim], raw_of: dict[str, RawFigure]
) -> Quantity | None:
    """The figure as an interval (docs/normalisation.md): "about 12,000" is
    [10800, 13200]; a fraction of a base is its share's interval times the base's."""
    spans = char_spans(figure.tokens)
    own = figure.amount
    if own.kind != "fraction":
        return Quantity(
            low=own.low,
            high=own.high,
            approx=own.approx,
            text=figure.tokens.text,
            spans=spans,
            unit=figure.unit,
            value=own.value,
            bound=own.bound,
        )
    fraction = round(own.value, 6)
    base: Base | None = None
    base_amount = figure.base_amount
    unit = "count"
    if figure.base is not None and base_amount is not None:
        base = Base(
            value=base_amount.value,
            text=figure.base.text,
            spans=char_spans(figure.base),
            claim=None,
        )
    else:
        base_claim = resolve_fraction_base(figure.subject_key, earlier)
        if base_claim is not None:
            bq = base_claim.quantity
            base_amount = Amount(
                bq.low,
                bq.high,
                bq.approx,
                "count",
                bq.bound,
                bq.value if bq.value is not None else bq.low,
            )
            base = Base(value=base_amount.value, text=bq.text, spans=bq.spans, claim=base_claim.id)
            unit = bq.unit
    if base is None or base_amount is None:
        return Quantity(
            low=round(own.low, 6),
            high=round(own.high, 6) if own.high is not None else None,
            approx=own.approx,
            text=figure.tokens.text,
            spans=spans,
            unit="fraction",
            fraction=fraction,
            value=fraction,
            bound=own.bound,
        )
    high = None
    if own.high is not None and base_amount.high is not None:
        high = round(own.high * base_amount.high, 6)
    return Quantity(
        low=round(own.low * base_amount.low, 6),
        high=high,
        approx=own.approx or base_amount.approx,
        text=figure.tokens.text,
        spans=spans,
        unit=unit,
        fraction=fraction,
        base=base,
        value=round(own.value * base_amount.value, 6),
        bound=own.bound if own.bound != "exact" else base_amount.bound,
    )


def resolve_fraction_base(subject_key: str, earlier: Sequence[Claim]) -> Claim | None:
    """The claim a fraction of ``subject_key`` is taken of: the latest earlier absolute
    count of the same subject, a count of those deployed preferred ("half of the soldiers
    deployed")."""
    candidates = [
        c
        for c in earlier
        if c.subject.key == subject_key
        and c.quantity.fraction is None
        and c.quantity.unit == "count"
        and c.polarity == "positive"
    ]
    if not candidates:
        return None
    deployed = [c for c in candidates if c.measure == "deployed"]
    return (deployed or candidates)[-1]


def _claim_time(
    figure: RawFigure,
    attribution: Attribution | None,
    published: dt.date | None,
    times: list[Span],
) -> TimeRef | None:
    """When the figure holds: a time expression on its own verb ("were deployed last
    month"); else durations end at the statement date and counts hold as of it (the
    outlet's own figures: none said)."""
    stated = attribution.stated if attribution is not None else None
    # A statement made on a known day: "last month", "in the past week", "two days later"
    # and durations in what was said count from that day, not from publication.
    one_day = stated is not None and stated.granularity == "day" and stated.start == stated.end
    said_on = stated.end if stated is not None and one_day else None
    verb = figure.measure_tokens.root if figure.measure_tokens is not None else None
    if verb is not None and figure.measure != "absent":
        sent = verb.sent
        for span in spans_starting_in(times, sent.start, sent.end):
            if span.sent != sent or span[0].lower_ in {"for", "since"}:
                continue
            node, steps = span.root, 0
            while node.head != node and steps < 4 and node != verb:
                node, steps = node.head, steps + 1
            if node == verb:
                return time_ref(span, said_on or published, anchor_end=said_on)
    if figure.measure == "absent":
        if said_on is None and stated is None:
            return time_ref(figure.tokens, None, anchor_end=None)
        return time_ref(figure.tokens, published, anchor_end=said_on)
    return stated
