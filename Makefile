# Two commands for a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_BROKER ?=
PACKAGES := app crm_store memory tools agent prompts channels evals benchmarks

.PHONY: install demo test lint format clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# Bytecode is compiled here, not on first import: this machine sets PYTHONDONTWRITEBYTECODE,
# and compiling our ~250 modules from source would add ~0.15 s to every `copilot` command.
install: $(STAMP)
	$(BIN)/python -m compileall -q -j 0 $(PACKAGES)

demo: install
	@# A second `make demo` keeps the store it made the first time (init says why it refuses).
	$(BIN)/copilot init --demo || echo "(keeping the existing demo store)"
	$(BIN)/copilot chat $(if $(DEMO_BROKER),--as "$(DEMO_BROKER)")

test: install
	-scripts/ensure_postgres.sh
	$(BIN)/python -m pytest
	$(MAKE) lint

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
