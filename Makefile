# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PYTEST_ARGS ?=

.PHONY: run test node-tools lint typecheck unit integration e2e ci-setup schemas bench env clean

$(UV):
	python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv

env: $(UV)
	$(UV) sync --frozen

node-tools:  ## the official AsyncAPI parser (npm, locked in scripts/asyncapi/package-lock.json)
	@[ -d scripts/asyncapi/node_modules/@asyncapi/parser ] || \
		npm ci --prefix scripts/asyncapi --no-audit --no-fund --loglevel=error

run: env  ## start the embedded stack (broker, four services, demo data) until Ctrl-C
	$(UV) run sufficiency run

test: env node-tools lint typecheck  ## everything CI runs
	$(UV) run pytest $(PYTEST_ARGS)

lint: env
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run sufficiency schemas check

typecheck: env
	$(UV) run mypy shared services sufficiency bench tests

unit: env
	$(UV) run pytest tests/unit $(PYTEST_ARGS)

integration: env node-tools
	$(UV) run pytest -m "integration or e2e" $(PYTEST_ARGS)

e2e: env
	$(UV) run pytest tests/e2e $(PYTEST_ARGS)

ci-setup:  ## install PostgreSQL, Prometheus and Chromium from Debian's packages (root)
	bash scripts/ci-setup.sh

schemas: env
	$(UV) run sufficiency schemas write

bench: env  ## the benchmark suite; figures go to bench/RESULTS.md
	$(UV) run python -m bench
	$(UV) run python -m bench.forecast

clean:
	rm -rf .data
