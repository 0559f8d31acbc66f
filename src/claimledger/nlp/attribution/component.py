"""The ``claimledger_attributions`` spaCy component: its factory, whose config holds every
setting and threshold of the attribution finder, and the component that sets
``doc._.claimledger_attributions``."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from claimledger.errors import ModelMissingError
from claimledger.nlp import PROFILES
from claimledger.nlp.attribution.finder import find_attributions
from claimledger.nlp.attribution.raw import ATTRIBUTIONS_ATTR
from claimledger.nlp.attribution.settings import Thresholds
from claimledger.nlp.cuemodel import STACKED_FILE, CueModel, load_cue_model

if TYPE_CHECKING:
    from claimledger.nlp.roletagger import RoleTagger


# registered under the name of the Doc extension it fills
@Language.factory(
    ATTRIBUTIONS_ATTR,
    default_config={
        # The learned cue model decides which candidates are cues; false: the lexicons do.
        "learned": True,
        # "fast": the parse and the cue model; "accurate": adds the MiniLM role tagger.
        "profile": "fast",
        # The P(cue) a candidate needs from the model that decides (the stacked one in the
        # accurate profile); null keeps the threshold chosen in training, stored with it.
        "cue_threshold": None,
        # The role tagger's probability that makes a word part of a role.
        "tagged_min": 0.6,
        # A cue the parse proposed no candidate for needs a word the tagger is this sure of
        # (chosen on the tenth of PolNeAR train the tagger never saw; docs/accuracy.md) ...
        "tagged_new_cue": 0.8,
        # ... and a content of at least this many tokens.
        "tagged_min_content": 3,
        # The most tokens of a source taken from the words before a cue verb the parser
        # left without a subject; more is a clause, not a name it failed to attach.
        "fallback_max_tokens": 20,
    },
)
def make_attribution_component(
    nlp: Language,
    name: str,
    learned: bool,
    profile: str,
    cue_threshold: float | None,
    tagged_min: float,
    tagged_new_cue: float,
    tagged_min_content: int,
    fallback_max_tokens: int,
) -> AttributionComponent:
    """spaCy factory: ``nlp.add_pipe("claimledger_attributions")`` after the parser.
    ``learned=False`` leaves the cue decision to the lexicons alone; ``profile="accurate"``
    adds the MiniLM role tagger to the decision (needs the ``accurate`` extra)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    thresholds = Thresholds(tagged_min, tagged_new_cue, tagged_min_content, fallback_max_tokens)
    model = load_cue_model() if learned else None
    if profile == "fast" or model is None:
        return AttributionComponent(_with_threshold(model, cue_threshold), thresholds=thresholds)
    from claimledger.nlp.roletagger import load_role_tagger

    stacked = load_cue_model(STACKED_FILE)
    if stacked is None:
        raise ModelMissingError(
            f"claimledger has no stacked cue model ({STACKED_FILE}); "
            "reinstall claimledger or run `make train-accurate`"
        )
    return AttributionComponent(
        model, load_role_tagger(), _with_threshold(stacked, cue_threshold), thresholds
    )


def _with_threshold(model: CueModel | None, threshold: float | None) -> CueModel | None:
    if model is None or threshold is None:
        return model
    return dataclasses.replace(model, threshold=threshold)


class AttributionComponent:
    """Sets ``doc._.claimledger_attributions``. Its models ship inside claimledger and its
    settings are the factory's config, so a saved pipeline stores nothing of its own."""

    def __init__(
        self,
        model: CueModel | None = None,
        tagger: RoleTagger | None = None,
        stacked: CueModel | None = None,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.model = model
        self.tagger = tagger
        self.stacked = stacked
        self.thresholds = thresholds or Thresholds.defaults()
        if not Doc.has_extension(ATTRIBUTIONS_ATTR):
            Doc.set_extension(ATTRIBUTIONS_ATTR, default=None)

    def __call__(self, doc: Doc) -> Doc:
        roles = self.tagger.token_probabilities(doc) if self.tagger is not None else None
        found = find_attributions(doc, self.model, roles, self.stacked, self.thresholds)
        doc._.set(ATTRIBUTIONS_ATTR, found)
        return doc
