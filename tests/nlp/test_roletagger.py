"""The accurate profile: the MiniLM role tagger and the stacked cue decision's features
(how the finder uses the tagger: tests/nlp/attribution/test_roles.py). The parts that need
torch skip where it is not installed."""

from __future__ import annotations

import importlib
import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimledger.errors import ModelMissingError
from claimledger.nlp import roletagger
from claimledger.nlp.cuemodel import CueModel, tagger_features
from claimledger.nlp.pipeline import load_model
from claimledger.nlp.roletagger import STRIDE, WINDOW, windows

BODY = WINDOW - 2


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, [(0, 0)]),
        (10, [(0, 10)]),
        (BODY, [(0, BODY)]),
        (BODY + 1, [(0, BODY), (1, BODY + 1)]),
        (400, [(0, BODY), (STRIDE, STRIDE + BODY), (400 - BODY, 400)]),
    ],
)
def test_windows(n: int, expected: list[tuple[int, int]]) -> None:
    assert windows(n) == expected


@given(st.integers(min_value=1, max_value=5000))
def test_windows_cover_every_wordpiece_within_the_model_limit(n: int) -> None:
    found = windows(n)
    assert found[0][0] == 0 and found[-1][1] == n
    assert all(0 < e - s <= BODY for s, e in found)
    assert all(a[0] < b[0] and b[0] <= a[1] for a, b in itertools.pairwise(found))


def test_dense_features_add_weight_times_value() -> None:
    model = CueModel(weights={"base": 1.5, "lemma=say": 1.0}, bias=-1.0, threshold=0.5)
    z = -1.0 + 1.0 + 1.5 * 2.0
    assert model.probability(["lemma=say"], {"base": 2.0}) == pytest.approx(1 / (1 + math.exp(-z)))
    assert model.probability([], {"unknown": 5.0}) == pytest.approx(1 / (1 + math.exp(1.0)))


def test_tagger_features_read_the_candidates_words() -> None:
    doc = load_model()("The minister said the talks failed.")
    roles = [(0.0, 0.9, 0.0), (0.0, 0.9, 0.0), (0.8, 0.0, 0.0)] + [(0.0, 0.0, 0.6)] * 4
    found = tagger_features(0.5, roles, doc[2:3], doc[3:6], doc[1])
    assert found["base"] == pytest.approx(0.0)
    assert found["tagger_cue"] == pytest.approx(math.log(0.8 / 0.2))
    assert found["tagger_content"] == pytest.approx(math.log(0.6 / 0.4))
    assert found["tagger_source"] == pytest.approx(math.log(0.9 / 0.1))
    assert found["no_source"] == 0.0


def test_a_missing_encoder_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def refuse(name: str, *args: object) -> object:
        if name == roletagger.ENCODER_PACKAGE:
            raise ImportError(name)
        return real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib, "import_module", refuse)
    with pytest.raises(ModelMissingError, match=r"claimledger\[accurate\]"):
        roletagger.encoder_dir()


@pytest.fixture(scope="module")
def tagger() -> roletagger.RoleTagger:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    return roletagger.load_role_tagger()


def test_the_shipped_tagger_marks_cue_source_and_content(
    tagger: roletagger.RoleTagger,
) -> None:
    doc = load_model()("The minister said that the talks had failed after three days.")
    roles = tagger.token_probabilities(doc)
    assert len(roles) == len(doc)
    by_word = {t.text: roles[t.i] for t in doc}
    assert by_word["said"][0] > 0.5  # cue
    assert by_word["minister"][1] > 0.5  # source
    assert by_word["talks"][2] > 0.5 and by_word["days"][2] > 0.5  # content
    assert by_word["minister"][2] < 0.5 and by_word["talks"][0] < 0.5


def test_long_texts_are_tagged_in_overlapping_windows(tagger: roletagger.RoleTagger) -> None:
    sentence = "The minister said that the talks had failed after three days. "
    one = tagger.char_probabilities(sentence)
    many = tagger.char_probabilities(sentence * 60)  # about 900 wordpieces
    assert len(many) == 60 * len(one)
    said = [p for s, e, p in many if (sentence * 60)[s:e] == "said"]
    assert len(said) == 60 and all(p[0] > 0.5 for p in said)


def test_the_accurate_profile_reads_the_seed_article(tagger: roletagger.RoleTagger) -> None:
    from importlib import resources

    from claimledger.extract import analyze

    text = resources.files("claimledger.data").joinpath("kursk-north-korean-troops.txt")
    analysis = analyze(text.read_text("utf-8"), profile="accurate")
    sources = {a.source.entity for a in analysis.attributions if a.source is not None}
    assert {"Zelensky", "Oleksandr Syrskyi", "Oleksandr Kindratenko"} <= sources
    vias = {v.entity for a in analysis.attributions for v in a.via}
    assert {"CNN", "Kyiv Independent", "Korean News Agency"} <= vias
    assert len(analysis.claims) >= 6


def test_an_unknown_profile_is_refused() -> None:
    from claimledger.nlp.pipeline import load_pipeline

    with pytest.raises(ValueError, match="accurate"):
        load_pipeline("precise")
