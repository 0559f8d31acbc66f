"""Attribution finding on the dependency parse: who (source) says (cue) what (content).

The ``claimledger_attributions`` component sets ``doc._.claimledger_attributions`` to a list
of :class:`RawAttribution` (token spans, no resolution yet). A source phrase is analysed by
:mod:`claimledger.nlp.sources` and resolved to an entity, and the records are built, by
:mod:`claimledger.extract`.

The modules, in the order the finder uses them:

- :mod:`.raw` — the plain spans the component leaves on the Doc;
- :mod:`.quotes` — quoted stretches; :mod:`.syntax` — reading the parse;
- :mod:`.contents` — what a cue introduces;
- :mod:`.cues` — candidates and the cue decision;
- :mod:`.speakers` — speaker lines, signed quotes, impersonal statements, fallback sources;
- :mod:`.intermediaries` — "according to X", "as reported by X";
- :mod:`.circumstances` — channel, statement time, hedges;
- :mod:`.roles` — the accurate profile's role tagger, fused with the parse;
- :mod:`.finder` — all of it over a doc; :mod:`.settings` — its thresholds;
- :mod:`.vocabulary` — the words it reads, from ``data/lexicon``;
- :mod:`.component` — the spaCy factory, whose config sets those thresholds.
"""

from claimledger.nlp.attribution.component import AttributionComponent
from claimledger.nlp.attribution.cues import candidates
from claimledger.nlp.attribution.finder import find_attributions
from claimledger.nlp.attribution.raw import (
    ATTRIBUTIONS_ATTR,
    TIME_SPANS_KEY,
    RawAttribution,
    RawVia,
)
from claimledger.nlp.attribution.settings import Thresholds

__all__ = [
    "ATTRIBUTIONS_ATTR",
    "TIME_SPANS_KEY",
    "AttributionComponent",
    "RawAttribution",
    "RawVia",
    "Thresholds",
    "candidates",
    "find_attributions",
]
