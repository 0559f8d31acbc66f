"""From a parsed spaCy Doc to plain records: the only package that knows both.

One pass per stage. The pipeline's components leave the spans on the Doc — raw
attributions, time expressions, the figures found in what was said; then
:func:`~claimledger.extract.entities.resolve_mentions` says who every source and
intermediary is, as a plain table; then
:func:`~claimledger.extract.attributions.build_attributions` and
:func:`~claimledger.extract.claims.build_claims` build the immutable
:class:`~claimledger.records.Analysis` from the spans and that table.
"""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc

from claimledger.errors import InputError
from claimledger.extract.attributions import build_attributions
from claimledger.extract.claims import build_claims
from claimledger.extract.entities import resolve_mentions
from claimledger.gazetteer import Gazetteer, default_gazetteer
from claimledger.nlp.attribution import ATTRIBUTIONS_ATTR, TIME_SPANS_KEY, RawAttribution
from claimledger.nlp.pipeline import load_pipeline
from claimledger.records import Analysis, Document, document_id

__all__ = ["analyze", "analyze_doc"]


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


def analyze_doc(doc: Doc, document: Document, gazetteer: Gazetteer | None = None) -> Analysis:
    """Records from a Doc that went through claimledger's pipeline."""
    raws: list[RawAttribution] = doc._.get(ATTRIBUTIONS_ATTR) or []
    times = list(doc.spans[TIME_SPANS_KEY]) if TIME_SPANS_KEY in doc.spans else []
    table = resolve_mentions(doc, raws, gazetteer or default_gazetteer())
    attributions = build_attributions(doc, raws, table, document.published)
    claims = build_claims(doc, raws, attributions, times, document.published)
    return Analysis(
        document=document,
        entities=table.entities,
        attributions=attributions,
        claims=claims,
    )
