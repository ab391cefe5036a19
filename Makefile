# e访通 — the two commands of README.md: `make run` and `make test`. Each does its own set-up.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
UI_SOURCES := $(wildcard ui/*.ui)
UI_TARGETS := $(patsubst ui/%.ui,efangtong_desktop/forms/ui_%.py,$(UI_SOURCES))

.PHONY: run test lint typecheck pytest ui sysdeps-run sysdeps-test clean

run: sysdeps-run $(VENV)/.installed ui
	$(BIN)/python scripts/run_demo.py

test: sysdeps-test $(VENV)/.installed ui lint typecheck pytest

sysdeps-run:
	@bash scripts/install-system-deps.sh run

sysdeps-test:
	@bash scripts/install-system-deps.sh test

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[desktop,server,dev]'
	touch $@

ui: $(UI_TARGETS)

# pyside6-uic, then scripts/uic_postprocess.py (no unused imports, enum properties without the Qt namespace).
efangtong_desktop/forms/ui_%.py: ui/%.ui scripts/uic_postprocess.py $(VENV)/.installed
	$(BIN)/pyside6-uic $< -o $@.partial
	$(BIN)/python scripts/uic_postprocess.py $@.partial
	mv $@.partial $@

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed ui
	$(BIN)/mypy

pytest: $(VENV)/.installed ui
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) efangtong_desktop/forms/ui_*.py .mypy_cache .ruff_cache .pytest_cache
