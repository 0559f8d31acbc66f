# The two commands a newcomer needs: `make demo` and `make test`. Each creates the
# virtual environment .venv (with .venv/bin/claimledger) on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit golden eval train bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/claimledger demo

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

# Rewrite the golden files from the current output; review the diff before committing.
golden: $(STAMP)
	CLAIMLEDGER_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_golden.py

# Attribution accuracy on the PolNeAR dev split (the corpus sits beside the repository).
POLNEAR ?= ../shared/polnear
eval: $(STAMP)
	$(BIN)/claimledger eval polnear $(POLNEAR) --split dev --markdown

# Extraction speed against spaCy's parse alone, on the PolNeAR dev texts, in one run.
bench: $(STAMP)
	$(BIN)/python -m claimledger.evaluation.speed $(POLNEAR)/dev --workers 2

# Re-mine the cue lexicon and re-train the cue model on PolNeAR train (deterministic;
# writes src/claimledger/data/). The parse of train is kept in .cache/ between runs.
train: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,train]'
	$(BIN)/python -m claimledger.training.mine_cues $(POLNEAR)/train
	$(BIN)/python -m claimledger.training.train_cues $(POLNEAR)/train --cache .cache/polnear-train.spacy

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache claimledger-demo.sqlite*
