# make run   - set up .venv if needed and start dvar (ARGS="file.dvar" to open a file)
# make test  - set up .venv with the test tools and run the whole suite
# make fuzz  - the property tests with new random seeds and 100x the examples (not in CI);
#              DVAR_FUZZ_SCALE=N for N times, TESTS=... for other tests
# make bench - run the benchmarks against micrograd
# make lint  - ruff
# make bundle - a one-folder app in dist/dvar/ (PyInstaller) that runs without Python,
#               then scripts/check-bundle; not part of make test

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test fuzz bench lint bundle system-deps clean

system-deps:
	scripts/system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# One stamp per set of extras, redone when pyproject.toml changes.
$(VENV)/.installed-%: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '$(if $(filter base,$*),.,.[$*])'
	touch $@

run: system-deps $(VENV)/.installed-base
	$(BIN)/dvar $(ARGS)

test: system-deps $(VENV)/.installed-test
	$(BIN)/python -m ruff check dvar core gui tests benchmarks scripts/screenshots scripts/bundle-entry.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

PROPERTY_TESTS := tests/core/test_random_edits.py tests/core/test_determinism.py \
	tests/core/test_ops.py tests/core/test_formula.py
fuzz: system-deps $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q --hypothesis-profile=fuzz \
		--hypothesis-show-statistics $(or $(TESTS),$(PROPERTY_TESTS))

bench: system-deps $(VENV)/.installed-bench
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/files.py
	$(BIN)/python benchmarks/import_micrograd.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/gui.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/export.py

lint: $(VENV)/.installed-test
	$(BIN)/python -m ruff check dvar core gui tests benchmarks
	$(BIN)/python -m ruff format --check dvar core gui tests benchmarks

# The resources are data files of the `resources` packages, found at run time with
# importlib.resources; the generated spec stays in build/bundle.
bundle: system-deps $(VENV)/.installed-dev
	rm -rf build/bundle dist/dvar
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --onedir --name dvar \
		--distpath dist --workpath build/bundle --specpath build/bundle \
		--collect-submodules dvar --collect-data dvar.resources \
		--add-data $(CURDIR)/core/rules.py:dvar/core \
		scripts/bundle-entry.py
	scripts/check-bundle dist/dvar

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
