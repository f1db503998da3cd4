# Two commands do all set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: run test lint typecheck pytest bench bench-full clean

run: $(VENV)/.runtime
	$(PY) manage.py serve --prepare

test: $(VENV)/.dev lint typecheck pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.dev
	$(VENV)/bin/mypy .

pytest: $(VENV)/.dev
	$(PY) -m pytest $(PYTEST_ARGS)

# The gateway against a bare mcp SDK server and a raw ASGI ceiling (docs/performance.md):
# prints the tables and writes them with a chart to bench/results/. About 4 minutes on 2 cores.
bench: $(VENV)/.bench
	$(PY) -m bench $(BENCH_ARGS)

bench-full: $(VENV)/.bench
	$(PY) -m bench --full $(BENCH_ARGS)

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e '.[dev]'
	touch $@ $(VENV)/.runtime

# The benchmark reuses the test suite's fake of Microsoft and OAuth helpers, and draws its chart.
$(VENV)/.bench: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e '.[dev,bench]'
	touch $@ $(VENV)/.dev $(VENV)/.runtime

clean:
	rm -rf $(VENV) var/static
