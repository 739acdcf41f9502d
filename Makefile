# make run   - set up .venv if needed and start dvar
# make test  - set up .venv with the test tools and run the whole suite
# make bench - run the benchmarks against micrograd
# make lint  - ruff

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench lint system-deps clean

system-deps:
	scripts/system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	touch $(STAMP)

run: system-deps $(STAMP)
	$(BIN)/dvar $(ARGS)

test: system-deps $(STAMP)
	$(BIN)/python -m ruff check core gui tests benchmarks
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: system-deps $(STAMP)
	$(BIN)/python benchmarks/engine.py

lint: $(STAMP)
	$(BIN)/python -m ruff check core gui tests benchmarks
	$(BIN)/python -m ruff format --check core gui tests benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
