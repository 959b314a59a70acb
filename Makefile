# Two entry points, each doing its own set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint build serve stats clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[views,test]'
	touch $(STAMP)

# Build the graph from ontology/ and data/, then serve it on http://127.0.0.1:8000.
run: $(STAMP)
	$(BIN)/srkg build
	$(BIN)/srkg serve --host 127.0.0.1 --port 8000

build: $(STAMP)
	$(BIN)/srkg build
	$(BIN)/srkg stats

serve: $(STAMP)
	$(BIN)/srkg serve

# Lint and type checks (configured in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check graph api visualisation bench tests docs
	$(BIN)/mypy

# The whole test suite, after its system packages and the lint and type checks.
test: $(STAMP) lint
	bash tests/system-packages.sh
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
