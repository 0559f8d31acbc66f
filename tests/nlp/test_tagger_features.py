"""The stacked cue decision's inputs for a candidate whose cue span is empty: on two
unseen political news articles the accurate profile raised 'max() arg is an empty
sequence' there and ended the whole analysis (issue 16, item 6)."""

from __future__ import annotations

import spacy

from claimledger.nlp.attribution import candidates  # noqa: F401  (imported first, as the pipeline does)
from claimledger.nlp.cuemodel import tagger_features


def test_an_empty_cue_gives_features_and_no_error() -> None:
    doc = spacy.blank("en")("Officials said three people died.")
    roles = [(0.1, 0.2, 0.3)] * len(doc)
    features = tagger_features(0.5, roles, doc[2:2], doc[2:], doc[0])
    assert features["tagger_cue"] < 0 < features["tagger_source"] + 5
    assert set(features) == {"base", "tagger_cue", "tagger_content", "tagger_source", "no_source"}
