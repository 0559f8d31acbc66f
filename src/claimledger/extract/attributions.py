"""Attribution records from the raw attributions and the entity table: the chain of
intermediaries through parent attributions, the statement's time and channel (carried to
the same speaker's next statements), hedges and certainty. Who each mention is was
settled before (:mod:`claimledger.extract.entities`); nothing here resolves an entity.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections.abc import Sequence

from spacy.tokens import Doc

from claimledger.extract.entities import EntityTable, Mention
from claimledger.extract.spans import char_spans, time_ref
from claimledger.lexicon import words
from claimledger.nlp.attribution import RawAttribution, RawVia
from claimledger.records import (
    Attribution,
    Certainty,
    Channel,
    Content,
    Cue,
    Hedge,
    Source,
    Via,
    weakest,
)

# How far (in sentences) a statement's time carries to the same source's next statement.
INHERIT_WITHIN_SENTENCES = 2

NEGATIONS = words("cues.negations")
HEARSAY_SOURCES = words("sources.hearsay_nouns")
UNCONFIRMED = words("sources.unconfirmed")


def build_attributions(
    doc: Doc, raws: Sequence[RawAttribution], table: EntityTable, published: dt.date | None
) -> tuple[Attribution, ...]:
    """One record per raw attribution, in order; ``table`` says who their mentions are."""
    built: list[Attribution] = []
    sentence_starts = [s.start for s in doc.sents]
    for index, raw in enumerate(raws):
        mentions = table.attributions[index]
        source = _source(mentions.source)
        chain: list[Via] = []
        parent_id = None
        if raw.parent is not None:
            parent_id = f"a{raw.parent + 1}"
        if raw.parent is not None and raw.parent < len(built):
            # the chain runs through a reporter named earlier in the text
            parent = built[raw.parent]
            chain.extend(parent.via)
            if parent.source is not None:
                chain.append(_reporter(parent, parent.source))
        chain.extend(_via(m, v) for m, v in zip(mentions.via, raw.via, strict=True))
        if mentions.interviewer is not None:
            chain.append(_via(mentions.interviewer, None))
        stated = time_ref(raw.stated, published) if raw.stated is not None else None
        channel = (
            Channel(
                kind=raw.channel.kind,
                text=raw.channel.span.text,
                spans=char_spans(raw.channel.span),
                platform=raw.channel.platform,
            )
            if raw.channel is not None
            else None
        )
        previous = built[-1] if built else None
        if (
            previous is not None
            and source is not None
            and source.entity_id is not None
            and previous.source is not None
            and previous.source.entity_id == source.entity_id
            and _sentence_gap(sentence_starts, raws[index - 1], raw) <= INHERIT_WITHIN_SENTENCES
        ):
            # Same speaker in the next sentences with no new time or occasion: the article
            # goes on reporting the same statement ("He also mentioned ...").
            if stated is None and previous.stated is not None:
                stated = dataclasses.replace(previous.stated, inherited=True)
            if channel is None:
                channel = previous.channel
        hedges = tuple(
            Hedge(text=s.text, spans=char_spans(s), level=level) for s, level in raw.hedges
        )
        certainty = weakest(_cue_level(raw), *(h.level for h in hedges))
        built.append(
            Attribution(
                id=f"a{index + 1}",
                style=raw.style,
                source=source,
                cue=Cue(
                    text=raw.cue.text,
                    spans=char_spans(raw.cue),
                    lemma=raw.cue_lemma,
                    kind=raw.cue_kind,
                ),
                content=Content(
                    text=" … ".join(part.text for part in (raw.content, *raw.content_more)),
                    spans=char_spans(raw.content, *raw.content_more),
                ),
                via=tuple(chain),
                stated=stated,
                channel=channel,
                certainty=certainty,
                hedges=hedges,
                parent=parent_id,
            )
        )
    return _chains_through_later_reporters(built, raws)


def _chains_through_later_reporters(
    built: list[Attribution], raws: Sequence[RawAttribution]
) -> tuple[Attribution, ...]:
    """A reporter named after what it relays ("..., the governor said, reports Radio
    Meridian") was not built when the relayed statement was: its chain is added now,
    outermost reporters first, as for a reporter named before."""

    def depth(index: int) -> int:
        seen = 0
        parent = raws[index].parent
        while parent is not None and seen < len(raws):
            seen += 1
            parent = raws[parent].parent
        return seen

    for index in sorted(range(len(raws)), key=depth):
        parent_index = raws[index].parent
        if parent_index is None or parent_index <= index:
            continue
        parent = built[parent_index]
        if parent.source is None:
            continue
        link = _reporter(parent, parent.source)
        own = built[index].via
        built[index] = dataclasses.replace(built[index], via=(*parent.via, link, *own))
    return tuple(built)


def _reporter(parent: Attribution, source: Source) -> Via:
    """The link a parent statement's source makes in a nested statement's chain."""
    return Via(
        text=source.text,
        spans=source.spans,
        entity=source.entity,
        entity_id=source.entity_id,
        kind=source.kind,
        cue=parent.cue,
    )


def _source(mention: Mention | None) -> Source | None:
    if mention is None:
        return None
    return Source(
        text=mention.text,
        spans=mention.spans,
        entity=mention.entity,
        entity_id=mention.entity_id,
        kind=mention.kind,
        role=mention.role,
        affiliation=mention.affiliation,
        resolved_from=mention.resolved_from,
    )


def _via(mention: Mention, raw: RawVia | None) -> Via:
    """An intermediary; ``raw`` gives its cue ("according to", "reported by"), where the
    text has one."""
    cue = (
        Cue(
            text=raw.cue.text,
            spans=char_spans(raw.cue),
            lemma=" ".join(raw.cue.text.lower().split()),
            kind="according-to" if raw.cue[0].lower_ == "according" else "report",
        )
        if raw is not None and raw.cue is not None
        else None
    )
    return Via(
        text=mention.text,
        spans=mention.spans,
        entity=mention.entity,
        entity_id=mention.entity_id,
        kind=mention.kind,
        cue=cue,
    )


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


def _sentence_gap(sentence_starts: list[int], a: RawAttribution, b: RawAttribution) -> int:
    """How many sentences on from ``a``'s cue ``b``'s is (``sentence_starts`` in order)."""
    return bisect.bisect_right(sentence_starts, b.cue.start) - bisect.bisect_right(
        sentence_starts, a.cue.start
    )
