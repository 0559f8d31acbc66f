# The two commands a newcomer needs: `make demo` and `make test`. Each creates the
# virtual environment .venv (with .venv/bin/claimledger) on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TORCH ?= torch==2.13.0

# axe-core, pinned, for the browser tests' accessibility check (tests/web/test_browser.py
# reads .cache/axe): npm fetches the one package, never a browser. Without npm the check is
# skipped (a failure where CLAIMLEDGER_REQUIRE_BROWSER=1, as in CI, whose .ci/run installs
# npm).
AXE_VERSION := 4.14.1
AXE_STAMP := .cache/axe/.installed-$(AXE_VERSION)

.PHONY: demo serve test test-fast lint typecheck unit unit-fast golden screenshots eval eval-accurate eval-news eval-ledger train train-accurate bench bench-live bench-scale loadtest fuzz clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch's CPU build, pinned so pip does not fetch the multi-GB CUDA one for the
	# accurate profile's extra.
	$(BIN)/python -m pip install --quiet $(TORCH)
	$(BIN)/python -m pip install --quiet -e '.[dev,accurate]'
	touch $(STAMP)

$(AXE_STAMP):
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix .cache/axe "axe-core@$(AXE_VERSION)" && touch $@; \
	else \
		echo "npm not found: the browser tests' accessibility check will be skipped"; \
	fi

demo: $(STAMP)
	$(BIN)/claimledger demo

# The web UI and API on the demo ledger: http://127.0.0.1:8000/
serve: demo
	$(BIN)/claimledger serve --db claimledger-demo.sqlite

# Lint, type-check and run the whole test suite. mypy and pytest each keep one core busy,
# so they run side by side; --output-sync=line keeps each line of their output whole.
test: $(STAMP)
	$(MAKE) --no-print-directory --jobs=3 --output-sync=line lint typecheck unit

# The same less the tests marked slow or browser (pyproject.toml, tests/conftest.py): a
# quick check while working. `make test`, which CI runs, runs them all.
test-fast: $(STAMP)
	$(MAKE) --no-print-directory --jobs=3 --output-sync=line lint typecheck unit-fast

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) $(AXE_STAMP)
	$(BIN)/python -m pytest

unit-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

# Rewrite the golden files from the current output; review the diff before committing.
golden: $(STAMP)
	CLAIMLEDGER_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/extract/test_golden.py tests/ledger/test_corpus.py

# Refresh the README's pictures (docs/screenshots): every view of the web UI at 1280 and
# 390 pixels, from the browser tests over the acceptance corpus (needs Chromium, and
# axe-core, which this target installs with npm). Review them before committing.
screenshots: $(STAMP) $(AXE_STAMP)
	CLAIMLEDGER_SCREENSHOTS=1 CLAIMLEDGER_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q tests/web/test_browser.py -k fact_checker

# Attribution accuracy on the PolNeAR dev split (the corpus sits beside the repository).
POLNEAR ?= ../shared/polnear
eval: $(STAMP)
	$(BIN)/claimledger eval polnear $(POLNEAR) --split dev --markdown

eval-accurate: $(STAMP)
	$(BIN)/claimledger eval polnear $(POLNEAR) --split dev --markdown --profile accurate

# Claims on real news with gold claims (the shared scorers sit beside the repository):
# every figure, measure and source (news_eval.py), then the ledger across articles
# (news_ledger_eval.py). The articles are analysed in one process and scored as saved.
NEWS ?= ../shared/news-dev
NEWS_TOOLS ?= ../shared/tools
eval-news: $(STAMP)
	$(BIN)/python -m claimledger.evaluation.news $(NEWS) --keep .cache/news
	$(BIN)/python $(NEWS_TOOLS)/news_eval.py $(NEWS) $(BIN)/claimledger --keep .cache/news --cached | tail -n 1
	$(BIN)/python $(NEWS_TOOLS)/news_ledger_eval.py $(NEWS) $(BIN)/claimledger --keep .cache/news-ledger | tail -n 1

# The ledger's cross-article work alone on the same articles (news_ledger_eval.py: one
# `claimledger ingest` of every article into a fresh ledger, so one process analyses them):
# grouping, same_source, conflict_hygiene and the number of subjects.
eval-ledger: $(STAMP)
	$(BIN)/python $(NEWS_TOOLS)/news_ledger_eval.py $(NEWS) $(BIN)/claimledger --keep .cache/news-ledger | tail -n 1

# Extraction speed against spaCy's parse alone, on the PolNeAR dev texts, in one run; one
# article of 25 to 800 KB against its parse (CPU time and peak memory by length); then
# the ledger at scale: 10,000 generated articles ingested, reconciled and queried (a step
# over --limit seconds, 120 by default, is stopped and reported with stack samples).
bench: $(STAMP)
	$(BIN)/python -m claimledger.evaluation.speed $(POLNEAR)/dev --workers 2
	$(BIN)/python -m claimledger.evaluation.length $(POLNEAR)/dev --sizes 25 100 200 800
	$(BIN)/python -m claimledger.evaluation.ledger_bench --articles 10000 --workers 2
	$(MAKE) --no-print-directory bench-live

# The live ledger (docs/live.md): on 10,000- and 100,000-article ledgers, the full
# rebuild, derived size against text, and one more article stored and reconciled
# (incrementally), median and p95 (each one takes minutes at 100,000 today: LIVE_MORE=5).
# The built ledgers are kept in bench/ledgers (building
# the 100,000 one analyses 100,000 articles: about an hour on 2 cores).
LIVE_ARTICLES ?= 10000 100000
LIVE_MORE ?= 5
bench-live: $(STAMP)
	$(BIN)/python -m claimledger.evaluation.live_bench --articles $(LIVE_ARTICLES) --more $(LIVE_MORE) --cache bench/ledgers

# Beyond one machine (docs/scale.md): the same real-length generated articles (500-900
# words) ingested into a throwaway PostgreSQL by the process pool and by `--cluster local`,
# articles/s, words/s and the scheduler's overhead per shard; then a generated WARC of
# HTML pages on the cluster, with peak memory. Long at full size (hours on 2 cores):
# e.g. `make bench-scale SCALE_ARTICLES=400 SCALE_WARC_MB=64` for a smaller run.
SCALE_ARTICLES ?= 5000
SCALE_WARC_MB ?= 1024
bench-scale: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	$(BIN)/python -m claimledger.evaluation.scale --articles $(SCALE_ARTICLES) --warc-mb $(SCALE_WARC_MB) --workers 2

# One server on 127.0.0.1 over a fresh ledger, and a bounded mix of reads, writes and
# analyses from 8 concurrent clients: p50/p95 per endpoint; fails on any 5xx. Loopback only.
loadtest: $(STAMP)
	$(BIN)/python -m claimledger.evaluation.loadtest --requests 600 --concurrency 8 --seconds 120

# The bounded fuzzing job alone (hypothesis: text, HTML, JSONL, feeds through analyze,
# ingest and the API); `make test` runs it too.
fuzz: $(STAMP)
	$(BIN)/python -m pytest tests/test_fuzz.py -W ignore::DeprecationWarning

# Re-mine the cue lexicon and re-train the cue model on PolNeAR train (deterministic;
# writes src/claimledger/data/). The parse of train is kept in .cache/ between runs.
train: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,train]'
	$(BIN)/python -m claimledger.training.mine_cues $(POLNEAR)/train
	$(BIN)/python -m claimledger.training.train_cues $(POLNEAR)/train --cache .cache/polnear-train.spacy

# Fine-tune the accurate profile's MiniLM role tagger (about 25 minutes on 2 CPU cores),
# then fit the stacked cue decision on the tenth of train the tagger never saw.
train-accurate: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,train,accurate]'
	$(BIN)/python -m claimledger.training.train_tagger $(POLNEAR)/train --layers 6
	$(BIN)/python -m claimledger.training.train_stacked $(POLNEAR)/train --cache .cache/polnear-train.spacy

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache claimledger-demo.sqlite*
