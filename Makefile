# Two commands: `make run` (set up, migrate, seed demo data, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# pytest-xdist workers: one per core (each builds its own SQLite and PostgreSQL databases);
# loadgroup keeps the tests that share a costly fixture on one worker (tests/conftest.py).
# Bytecode is written even where PYTHONDONTWRITEBYTECODE is set: each worker compiles (and
# pytest rewrites) some 500 modules, 10 s of CPU a worker, which a later run then reuses.
TEST_WORKERS ?= auto

.PHONY: run test lint format bench screenshots clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.app: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

run: $(VENV)/.app
	$(BIN)/mentorkorps migrate
	$(BIN)/mentorkorps seed-demo --if-empty
	SCHEDULER_ENABLED=$${SCHEDULER_ENABLED:-true} $(BIN)/mentorkorps serve --port $(PORT)

test: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=15

lint: $(VENV)/.test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.test
	for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Full-page screenshots of each demo role's main pages at 1280 and 390 px (not committed).
screenshots: $(VENV)/.test
	$(BIN)/python -m tests.browser.screenshots var/screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
