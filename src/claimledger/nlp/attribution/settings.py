"""The numbers the attribution finder decides by. Their defaults are the
``claimledger_attributions`` factory's ``default_config`` (:mod:`.component`): a pipeline's
config overrides them, and a saved pipeline keeps them."""

from __future__ import annotations

from dataclasses import dataclass, fields

from spacy.language import Language

from claimledger.nlp.attribution.raw import ATTRIBUTIONS_ATTR


@dataclass(frozen=True)
class Thresholds:
    """Where the finder draws its lines (the factory's config explains each)."""

    tagged_min: float
    tagged_new_cue: float
    tagged_min_content: int
    fallback_max_tokens: int

    @classmethod
    def defaults(cls) -> Thresholds:
        """The factory's defaults, for a caller outside a pipeline (an evaluation, a test)."""
        config = Language.get_factory_meta(ATTRIBUTIONS_ATTR).default_config or {}
        return cls(**{f.name: config[f.name] for f in fields(cls)})
