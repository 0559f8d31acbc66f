"""The ``claimledger_attributions`` component's settings: the factory's config holds them,
a user's config overrides them, and a saved pipeline keeps them."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from thinc.api import ConfigValidationError

from claimledger.nlp.attribution import AttributionComponent, Thresholds
from claimledger.nlp.cuemodel import load_cue_model
from claimledger.nlp.pipeline import load_model


def _pipeline(**config: object) -> Language:
    nlp = load_model()
    nlp.add_pipe("claimledger_timex")
    nlp.add_pipe("claimledger_attributions", config=config)
    return nlp


def _cues(nlp: Language, text: str) -> list[str]:
    return [a.cue.text for a in nlp(text)._.claimledger_attributions]


def test_the_defaults_are_the_factorys_config() -> None:
    config = Language.get_factory_meta("claimledger_attributions").default_config
    assert config == {
        "learned": True,
        "profile": "fast",
        "cue_threshold": None,  # the one stored with the trained model
        "tagged_min": 0.6,
        "tagged_new_cue": 0.8,
        "tagged_min_content": 3,
        "fallback_max_tokens": 20,
    }
    assert Thresholds.defaults() == Thresholds(0.6, 0.8, 3, 20)


def test_a_cue_threshold_in_the_config_overrides_the_models() -> None:
    text = "The senator wants to repeal the law. The minister said it failed."
    assert _cues(_pipeline(), text) == ["wants", "said"]
    strict = _pipeline(cue_threshold=0.999)
    component = strict.get_pipe("claimledger_attributions")
    assert isinstance(component, AttributionComponent) and component.model is not None
    assert component.model.threshold == 0.999
    model = load_cue_model()
    assert model is not None and model.threshold != 0.999  # the shipped model is untouched
    assert _cues(strict, text) == []


@pytest.mark.parametrize(("limit", "source"), [(20, "Commander Ivan Petrov"), (2, None)])
def test_fallback_max_tokens_bounds_a_source_found_before_its_verb(
    limit: int, source: str | None
) -> None:
    # the parser hangs the subject elsewhere: the source is the words before "stated"
    text = "As reported by Reuters, Commander Ivan Petrov, stated that the bridge was destroyed."
    (found,) = _pipeline(fallback_max_tokens=limit)(text)._.claimledger_attributions
    assert (found.source.text if found.source is not None else None) == source


def test_a_bad_setting_is_a_config_error() -> None:
    with pytest.raises(ConfigValidationError, match="tagged_min"):
        _pipeline(tagged_min="high")


def test_a_saved_pipeline_keeps_the_settings(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("claimledger_attributions", config={"cue_threshold": 0.7, "tagged_min": 0.5})
    nlp.to_disk(tmp_path)
    again = spacy.load(tmp_path).get_pipe("claimledger_attributions")
    assert isinstance(again, AttributionComponent) and again.model is not None
    assert again.model.threshold == 0.7
    assert again.thresholds == Thresholds(0.5, 0.8, 3, 20)
