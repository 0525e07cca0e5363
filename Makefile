# scenepal: every task goes through this file. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLE := samples/sample.mp4

export MPLBACKEND := Agg

.PHONY: help install demo test test-fast lint format bench clean browser

help:
	@echo "make demo   - set up, make the sample film, analyse it, show where the outputs are"
	@echo "make test   - set up, lint, type-check and run the whole test suite"
	@echo "make test-fast - the tests without the slow ones"
	@echo "make bench  - performance benchmark (writes bench figures to stdout)"
	@echo "make format - format the code with ruff"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python samples/make_sample.py --out $(SAMPLE)
	$(BIN)/scenepal analyze $(SAMPLE) -o samples/sample.scenepal
	@echo
	@echo "Outputs are in samples/sample.scenepal/:"
	@ls -l samples/sample.scenepal/

lint: $(STAMP)
	$(BIN)/ruff check scenepal tests samples bench
	$(BIN)/ruff format --check scenepal tests samples bench
	$(BIN)/mypy

# Chromium for the report's browser test: Debian's package, installed when missing (CI runs
# as root from a clean checkout); quick when it is already there.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium (apt) for the report's browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing and only root can install it (apt-get install chromium):" \
	         "the report's browser test will be skipped"; \
	  fi; }

test: lint browser
	$(BIN)/python -m pytest -n 2

test-fast: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not slow"

format: $(STAMP)
	$(BIN)/ruff format scenepal tests samples bench
	$(BIN)/ruff check --fix scenepal tests samples bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache samples/sample.scenepal $(SAMPLE)

BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)
