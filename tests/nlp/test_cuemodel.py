"""The learned cue classifier: its file format, the shipped weights, and its training (how
the finder uses it next to the lexicons: tests/nlp/attribution/test_cues.py)."""

from __future__ import annotations

import json

import pytest

from claimledger.errors import ModelMissingError
from claimledger.nlp.attribution import candidates
from claimledger.nlp.cuemodel import CueModel, load_cue_model
from claimledger.nlp.pipeline import load_pipeline
from claimledger.training.train_cues import Example, _best_threshold, train


def test_probability_is_the_logistic_of_bias_plus_weights() -> None:
    model = CueModel(weights={"a": 2.0, "b": -1.0}, bias=-1.0, threshold=0.5)
    assert model.probability([]) == pytest.approx(1 / (1 + 2.718281828**1))
    assert model.probability(["a"]) == pytest.approx(1 / (1 + 2.718281828**-1))
    assert model.probability(["a", "b", "unknown"]) == pytest.approx(0.5)
    assert model.accepts(["a"]) and not model.accepts(["b"])


def test_json_round_trip_keeps_the_decisions() -> None:
    model = CueModel(weights={"lemma=say": 3.25, "lemma=eat": -2.5}, bias=-0.5, threshold=0.4)
    again = CueModel.from_json(model.to_json(trained_on="test"))
    assert again == model


def test_a_file_of_another_format_is_refused_with_a_remedy() -> None:
    body = json.dumps({"format": 99, "bias": 0, "threshold": 0.5, "weights": {}})
    with pytest.raises(ModelMissingError, match="make train"):
        CueModel.from_json(body)


def test_the_package_ships_a_model() -> None:
    model = load_cue_model()
    assert model is not None
    assert 0.0 < model.threshold < 1.0
    assert len(model.weights) > 1000


@pytest.mark.parametrize(
    ("text", "verb", "is_cue"),
    [
        ("The minister said that the talks had failed.", "said", True),
        ("Officials warned that the bridge could collapse.", "warned", True),
        ("The senator wants to repeal the law.", "wants", True),
        ("Trump called the report a hoax.", "called", True),
        ("She ate the apple before the meeting.", "ate", False),
        ("The company built a new factory in Ohio.", "built", False),
        ("The river began to rise after the storm.", "began", False),
        ("Workers repaired the road last week.", "repaired", False),
    ],
)
def test_the_shipped_model_tells_cues_from_other_verbs(text: str, verb: str, is_cue: bool) -> None:
    model = load_cue_model()
    assert model is not None
    doc = load_pipeline()(text)
    cand = next(c for c in candidates(doc) if c.tok.text == verb)
    assert model.accepts(cand.features()) is is_cue


@pytest.mark.parametrize(
    ("scores", "labels", "threshold", "f1"),
    [
        ([0.9, 0.8, 0.2], [True, True, False], 0.8, 1.0),
        ([0.9, 0.8, 0.2], [True, False, True], 0.2, 0.8),
        ([0.9, 0.1], [False, False], 0.5, 0.0),
    ],
)
def test_threshold_is_the_best_f1_cut(
    scores: list[float], labels: list[bool], threshold: float, f1: float
) -> None:
    assert _best_threshold(scores, labels) == (pytest.approx(threshold), pytest.approx(f1))


def test_training_learns_a_separable_rule() -> None:
    pytest.importorskip("sklearn")
    data = [
        Example(
            group=i % 10,
            features=["lemma=say" if i % 2 else "lemma=eat", f"n={i % 3}"],
            label=bool(i % 2),
        )
        for i in range(200)
    ]
    model, stats = train(data, log=False)
    assert model.accepts(["lemma=say", "n=1"])
    assert not model.accepts(["lemma=eat", "n=1"])
    assert stats["candidates"] == 200 and stats["positives"] == 100
