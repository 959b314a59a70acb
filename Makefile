# Two entry points, each doing its own set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint build serve stats clean translations

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

# The pages' words: extract them from each package's templates (babel.cfg) into <package>/locales/messages.pot
# and merge that into its Russian and Chinese catalogues, whose new or changed messages then need translating
# (tests/test_translations.py fails until every one has a translation that is not fuzzy).
I18N_PACKAGES := api visualisation
I18N_LOCALES  := ru zh_Hans

translations: $(STAMP)
	for pkg in $(I18N_PACKAGES); do \
	  $(BIN)/pybabel -q extract -F babel.cfg --project=srkg --version=0.1.0 --msgid-bugs-address="" \
	    --copyright-holder=srkg -c TRANSLATORS: -o $$pkg/locales/messages.pot $$pkg/templates && \
	  for locale in $(I18N_LOCALES); do \
	    $(BIN)/pybabel -q update -i $$pkg/locales/messages.pot -d $$pkg/locales -l $$locale \
	      --ignore-obsolete --previous || exit 1; \
	  done || exit 1; \
	done

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
