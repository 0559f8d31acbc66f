"""From a parsed spaCy Doc to plain records: the only module that knows both.

Resolves what the components found — sources to entities, time expressions to dates
against the publication date, figures to claims with fractions of earlier figures — and
builds the immutable :class:`~claimledger.records.Analysis`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from spacy.tokens import Doc, Span

from claimledger.errors import InputError
from claimledger.gazetteer import Gazetteer, default_gazetteer
from claimledger.nlp.amounts import Amount
from claimledger.nlp.attribution import ATTRIBUTIONS_ATTR, TIME_SPANS_KEY, RawAttribution, RawVia
from claimledger.nlp.equipment import find_equipment
from claimledger.nlp.pipeline import load_pipeline
from claimledger.nlp.places import place_key, place_of
from claimledger.nlp.quantities import RawFigure, find_durations, find_figures
from claimledger.nlp.sources import (
    EntityDraft,
    EntityRegistry,
    analyse_source,
    is_outlet_anaphor,
    is_outlet_name,
    strip_det,
)
from claimledger.nlp.time import TimeValue, resolve_time
from claimledger.records import (
    Analysis,
    Attribution,
    Base,
    Certainty,
    Channel,
    Claim,
    Content,
    Cue,
    Document,
    Entity,
    Hedge,
    Place,
    Quantity,
    Source,
    SourceKind,
    Spans,
    Subject,
    TimeRef,
    Via,
    document_id,
    weakest,
)

# How far (in sentences) a statement's time carries to the same source's next statement.
INHERIT_WITHIN_SENTENCES = 2


def analyze(
    text: str,
    *,
    published: dt.date | None = None,
    url: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    path: str | None = None,
    format: str = "text",
    profile: str = "fast",
    gazetteer: Gazetteer | None = None,
) -> Analysis:
    """Analyse one article's text: attributions, entities and claims, with character spans.
    ``profile`` picks the pipeline (:func:`claimledger.nlp.pipeline.load_pipeline`);
    ``gazetteer`` names known outlets, organisations and equipment (default: the shipped
    one, :func:`claimledger.gazetteer.load_gazetteer` extends it)."""
    document = Document(
        id=document_id(text),
        text=text,
        format=format,
        path=path,
        url=url,
        outlet=outlet,
        title=title,
        published=published,
    )
    nlp = load_pipeline(profile)
    if len(text) > nlp.max_length:
        raise InputError(
            f"{path or 'the text'} has {len(text):,} characters, more than the "
            f"{nlp.max_length:,} the parser takes; split it into articles"
        )
    return analyze_doc(nlp(text), document, gazetteer)


NEGATIONS = {"not", "n't", "never"}


HEARSAY_SOURCES = {"report", "rumor", "rumour", "account"}
UNCONFIRMED = {"unconfirmed", "unverified"}


def _cue_level(raw: RawAttribution) -> Certainty:
    """The certainty the cue and its source convey. Negation: a source that "did not
    confirm" something does not assert it (denied); one that "did not deny" it leaves it
    possible. Hearsay: "according to reports" is reported, "unconfirmed reports" possible."""
    level = raw.cue_certainty
    if any(t.dep_ == "neg" or t.lower_ in NEGATIONS for t in raw.cue):
        level = "possible" if level == "denied" else "denied"
    if raw.source is not None:
        if any(t.lower_ in UNCONFIRMED for t in raw.source):
            level = weakest(level, "possible")
        elif raw.source.root.lemma_.lower() in HEARSAY_SOURCES and not any(
            t.pos_ == "PROPN" for t in raw.source
        ):
            level = weakest(level, "reported")  # reports by no one named
    return level


def _spans(*spans: Span | None) -> Spans:
    return tuple((s.start_char, s.end_char) for s in spans if s is not None and len(s))


def _time_ref(
    span: Span, published: dt.date | None, *, anchor_end: dt.date | None = None
) -> TimeRef:
    value: TimeValue = resolve_time(span.text, published, anchor_end=anchor_end)
    return TimeRef(
        text=span.text,
        spans=_spans(span),
        value=value.value,
        start=value.start,
        end=value.end,
        granularity=value.granularity,
        year_known=value.year_known,
    )


class _Builder:
    """Turns one Doc's raw attributions into records, keeping the entity registry."""

    def __init__(self, doc: Doc, document: Document, gazetteer: Gazetteer) -> None:
        self.doc = doc
        self.document = document
        self.gazetteer = gazetteer
        self.registry = EntityRegistry(doc)
        self.attributions: list[Attribution] = []
        self.entity_of: list[EntityDraft | None] = []

    def via(self, raw: RawVia) -> Via:
        name = raw.name
        entity: EntityDraft | None
        if is_outlet_anaphor(name):
            entity = self.registry.last_outlet_before(name.start)
        else:
            analysis = analyse_source(name)
            kind = "outlet" if is_outlet_name(name.text) else analysis.kind
            core = analysis.name if analysis.name is not None else name
            entity = self._mention(core, kind, whole=name)
        cue = (
            Cue(
                text=raw.cue.text,
                spans=_spans(raw.cue),
                lemma=" ".join(raw.cue.text.lower().split()),
                kind="according-to" if raw.cue[0].lower_ == "according" else "report",
            )
            if raw.cue is not None
            else None
        )
        return Via(
            text=name.text,
            spans=_spans(name),
            entity=entity.name if entity else None,
            entity_id=entity.id if entity else None,
            kind=entity.kind if entity else "unknown",
            cue=cue,
        )

    def _mention(
        self,
        name: Span,
        kind: SourceKind,
        role: str | None = None,
        affiliation: str | None = None,
        whole: Span | None = None,
    ) -> EntityDraft:
        """A source or intermediary's entity; the gazetteer's name and kind win. ``whole``:
        the source phrase, looked up first ("Special Operations Forces of Ukraine" is
        one name, not "Special Operations Forces" with an affiliation)."""
        entry = self.gazetteer.lookup(whole.text) if whole is not None else None
        if entry is not None and entry.kind != "equipment" and whole is not None:
            name, role, affiliation = strip_det(whole), None, None
        else:
            entry = self.gazetteer.lookup(name.text)
        if entry is None or entry.kind == "equipment":
            return self.registry.mention(name, kind, role, affiliation)
        known: SourceKind = entry.kind
        return self.registry.mention(name, known, role, affiliation, canonical=entry.name)

    def source(self, raw: RawAttribution) -> tuple[Source | None, EntityDraft | None, list[Via]]:
        if raw.source is None:
            return None, None, []
        span = raw.source
        analysis = analyse_source(span)
        extra_via: list[Via] = []
        if analysis.interviewed_by is not None:
            extra_via.append(self.via(RawVia(name=analysis.interviewed_by, cue=None)))
        entity: EntityDraft | None = None
        resolved_from = None
        role, affiliation = analysis.role, analysis.affiliation
        if analysis.pronoun is not None:
            entity = self.registry.antecedent(analysis.pronoun)
            resolved_from = analysis.pronoun.text
            if entity is not None:
                role = entity.roles[0] if entity.roles else None
                affiliation = entity.affiliations[0] if entity.affiliations else None
        elif analysis.name is not None:
            kind = analysis.kind
            if is_outlet_anaphor(analysis.name):
                entity = self.registry.last_outlet_before(span.start)
            else:
                entity = self._mention(analysis.name, kind, role, affiliation, whole=span)
            if entity is not None and role is None and entity.roles:
                # "Zelensky pointed out": the role given at first mention still holds.
                role = entity.roles[0]
                affiliation = entity.affiliations[0] if entity.affiliations else affiliation
        source = Source(
            text=span.text,
            spans=_spans(span),
            entity=entity.name if entity else None,
            entity_id=entity.id if entity else None,
            kind=entity.kind if entity else analysis.kind,
            role=role,
            affiliation=affiliation,
            resolved_from=resolved_from,
        )
        return source, entity, extra_via

    def attribution(self, index: int, raw: RawAttribution, raws: list[RawAttribution]) -> None:
        vias = [self.via(v) for v in raw.via]
        source, entity, extra_via = self.source(raw)
        chain: list[Via] = []
        parent_id = None
        if raw.parent is not None:
            parent_id = f"a{raw.parent + 1}"
        if raw.parent is not None and raw.parent < len(self.attributions):
            # the chain runs through a reporter named earlier in the text
            parent = self.attributions[raw.parent]
            chain.extend(parent.via)
            if parent.source is not None:
                chain.append(
                    Via(
                        text=parent.source.text,
                        spans=parent.source.spans,
                        entity=parent.source.entity,
                        entity_id=parent.source.entity_id,
                        kind=parent.source.kind,
                        cue=parent.cue,
                    )
                )
        chain.extend(vias)
        chain.extend(extra_via)
        stated = _time_ref(raw.stated, self.document.published) if raw.stated is not None else None
        channel = (
            Channel(
                kind=raw.channel.kind,
                text=raw.channel.span.text,
                spans=_spans(raw.channel.span),
                platform=raw.channel.platform,
            )
            if raw.channel is not None
            else None
        )
        previous = self.attributions[-1] if self.attributions else None
        prev_entity = self.entity_of[-1] if self.entity_of else None
        if (
            previous is not None
            and entity is not None
            and prev_entity is entity
            and self._sentence_gap(raws[index - 1], raw) <= INHERIT_WITHIN_SENTENCES
        ):
            # Same speaker in the next sentences with no new time or occasion: the article
            # goes on reporting the same statement ("He also mentioned ...").
            if stated is None and previous.stated is not None:
                stated = dataclasses.replace(previous.stated, inherited=True)
            if channel is None:
                channel = previous.channel
        hedges = tuple(Hedge(text=s.text, spans=_spans(s), level=level) for s, level in raw.hedges)
        certainty = weakest(_cue_level(raw), *(h.level for h in hedges))
        self.attributions.append(
            Attribution(
                id=f"a{index + 1}",
                style=raw.style,
                source=source,
                cue=Cue(
                    text=raw.cue.text,
                    spans=_spans(raw.cue),
                    lemma=raw.cue_lemma,
                    kind=raw.cue_kind,
                ),
                content=Content(
                    text=" … ".join(part.text for part in (raw.content, *raw.content_more)),
                    spans=_spans(raw.content, *raw.content_more),
                ),
                via=tuple(chain),
                stated=stated,
                channel=channel,
                certainty=certainty,
                hedges=hedges,
                parent=parent_id,
            )
        )
        self.entity_of.append(entity)

    def _sentence_gap(self, a: RawAttribution, b: RawAttribution) -> int:
        sents = [s.start for s in self.doc.sents]
        ia = sum(1 for s in sents if s <= a.cue.start)
        ib = sum(1 for s in sents if s <= b.cue.start)
        return ib - ia


def analyze_doc(doc: Doc, document: Document, gazetteer: Gazetteer | None = None) -> Analysis:
    """Records from a Doc that went through claimledger's pipeline."""
    raws: list[RawAttribution] = doc._.get(ATTRIBUTIONS_ATTR) or []
    builder = _Builder(doc, document, gazetteer or default_gazetteer())
    for index, raw in enumerate(raws):
        builder.attribution(index, raw, raws)
    times = list(doc.spans[TIME_SPANS_KEY]) if TIME_SPANS_KEY in doc.spans else []
    claims = _claims(doc, raws, builder.attributions, times, document.published)
    entities = tuple(
        Entity(
            id=e.id,
            name=e.name,
            kind=e.kind,
            aliases=tuple(e.aliases),
            roles=tuple(e.roles),
            affiliations=tuple(e.affiliations),
            spans=tuple(sorted(e.spans)),
        )
        for e in builder.registry.entities
    )
    entities += _equipment(find_equipment(doc, builder.gazetteer), len(entities))
    return Analysis(
        document=document,
        entities=entities,
        attributions=tuple(builder.attributions),
        claims=claims,
    )


def _equipment(found: list[tuple[Span, str]], before: int) -> tuple[Entity, ...]:
    """One entity per piece of equipment named, by canonical name, ids after the sources'."""
    by_name: dict[str, list[Span]] = {}
    for span, name in found:
        by_name.setdefault(name, []).append(span)
    return tuple(
        Entity(
            id=f"e{before + n}",
            name=name,
            kind="equipment",
            aliases=tuple(sorted({s.text for s in spans} - {name})),
            spans=tuple(sorted((s.start_char, s.end_char) for s in spans)),
        )
        for n, (name, spans) in enumerate(by_name.items(), start=1)
    )


def _claims(
    doc: Doc,
    raws: list[RawAttribution],
    attributions: list[Attribution],
    times: list[Span],
    published: dt.date | None,
) -> tuple[Claim, ...]:
    time_tokens = {i for s in times for i in range(s.start, s.end)}
    found: list[tuple[RawFigure, Attribution]] = []
    scopes: dict[int, list[Span]] = {}  # each figure's statement, where its place is read
    for index, (raw, attribution) in enumerate(zip(raws, attributions, strict=True)):
        inner = {
            i
            for child in raws
            if child.parent == index
            for i in range(child.content.start, child.content.end)
        }
        skip = time_tokens | inner
        parts = [raw.content, *raw.content_more]
        figures = [f for part in parts for f in find_figures(part, skip)]
        figures += [f for f in find_durations(raw.content, times) if f.tokens.start not in inner]
        found.extend((f, attribution) for f in figures)
        for f in figures:
            scopes[id(f)] = parts
    found.sort(key=lambda pair: pair[0].tokens.start)
    claims: list[Claim] = []
    raw_of: dict[str, RawFigure] = {}
    for figure, attribution in found:
        claim_id = f"c{len(claims) + 1}"
        quantity = _quantity(figure, claims, raw_of)
        if quantity is None:
            continue
        time = _claim_time(figure, attribution, published, times)
        subject_span = figure.subject
        place = place_of(figure.anchor, scopes[id(figure)])
        claims.append(
            Claim(
                id=claim_id,
                attribution=attribution.id,
                subject=Subject(
                    text=subject_span.text if subject_span is not None else "",
                    key=figure.subject_key,
                    spans=_spans(subject_span),
                ),
                measure=figure.measure,
                measure_text=figure.measure_tokens.text if figure.measure_tokens else "",
                quantity=quantity,
                polarity="negative" if figure.negated else "positive",
                time=time,
                certainty=attribution.certainty,
                spans=_merge(_spans(figure.tokens, subject_span, figure.measure_tokens)),
                place=(
                    Place(text=place.text, key=place_key(place.text), spans=_spans(place))
                    if place is not None
                    else None
                ),
            )
        )
        raw_of[claim_id] = figure
    return tuple(claims)


def _merge(spans: Iterable[tuple[int, int]]) -> Spans:
    return tuple(sorted(set(spans)))


def _quantity(
    figure: RawFigure, earlier: list[Claim], raw_of: dict[str, RawFigure]
) -> Quantity | None:
    """The figure as an interval (docs/normalisation.md): "about 12,000" is
    [10800, 13200]; a fraction of a base is its share's interval times the base's."""
    spans = _spans(figure.tokens)
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
            spans=_spans(figure.base),
            claim=None,
        )
    else:
        base_claim = resolve_fraction_base(figure, earlier)
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


def resolve_fraction_base(figure: RawFigure, earlier: list[Claim]) -> Claim | None:
    """The figure a fraction is taken of: the latest earlier absolute count of the same
    subject, a count of those deployed preferred ("half of the soldiers deployed")."""
    candidates = [
        c
        for c in earlier
        if c.subject.key == figure.subject_key
        and c.quantity.fraction is None
        and c.quantity.unit == "count"
        and c.polarity == "positive"
    ]
    if not candidates:
        return None
    deployed = [c for c in candidates if c.measure == "deployed"]
    return (deployed or candidates)[-1]


def _claim_time(
    figure: RawFigure, attribution: Attribution, published: dt.date | None, times: list[Span]
) -> TimeRef | None:
    """When the figure holds: a time expression on its own verb ("were deployed last
    month"); else durations end at the statement date and counts hold as of it."""
    stated = attribution.stated
    # A statement made on a known day: "last month", "in the past week", "two days later"
    # and durations in what was said count from that day, not from publication.
    one_day = stated is not None and stated.granularity == "day" and stated.start == stated.end
    said_on = stated.end if stated is not None and one_day else None
    verb = figure.measure_tokens.root if figure.measure_tokens is not None else None
    if verb is not None and figure.measure != "absent":
        for span in times:
            if span.sent != verb.sent or span[0].lower_ in {"for", "since"}:
                continue
            node, steps = span.root, 0
            while node.head != node and steps < 4 and node != verb:
                node, steps = node.head, steps + 1
            if node == verb:
                return _time_ref(span, said_on or published, anchor_end=said_on)
    if figure.measure == "absent":
        if said_on is None and stated is None:
            return _time_ref(figure.tokens, None, anchor_end=None)
        return _time_ref(figure.tokens, published, anchor_end=said_on)
    return stated
