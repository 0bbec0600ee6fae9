# The two commands: `make run` (the whole UAT loop on the twin) and `make test` (the project's own tests).
# Both set themselves up from nothing: a virtual environment with the package, and the npm package `allure`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup lint bench mutants clean

run: setup
	$(BIN)/uat run

test: setup
	$(BIN)/python -m pytest

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python -m bench

# Configuration mutation testing: every single-change mutant of the healthy org, judged by the contract check.
mutants: setup
	$(BIN)/python -m harness.mutation --workers 2 --out reports/mutants.json

clean:
	rm -rf $(VENV) node_modules reports/2* reports/adhoc-* reports/latest
