# supadesk: `make run` starts everything, `make test` runs every suite (lint included).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
export DENO_DIR ?= $(CURDIR)/.supadesk/deno
export DENO_NO_UPDATE_CHECK := 1
FUNCTIONS := supabase/functions

.PHONY: run test lint install build db-up system-deps test-python test-frontend test-deno bench-report clean

## install: Python venv, npm packages (frontend, Node client tests)
install: $(VENV)/.installed frontend/node_modules/.installed tests/js/node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

tests/js/node_modules/.installed: tests/js/package-lock.json
	cd tests/js && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## system-deps: Debian's Chromium for the browser tests (root only; skipped when present)
system-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install Debian's chromium package for the browser tests"; exit 1; fi; \
	fi

## db-up: local PostgreSQL answering with wal_level=logical (falls back to the embedded one)
db-up:
	@bash .ci/postgres.sh

## build: the dashboard and the widget, served prebuilt by `supadesk start`
build: frontend/node_modules/.installed
	cd frontend && npm run build --silent

## run: install, migrate, seed the demo, start the stack (prints URLs and the demo login)
run: install db-up build
	$(BIN)/supadesk db migrate
	$(BIN)/supadesk db seed demo
	$(BIN)/supadesk start

## lint: Python (ruff, mypy), SQL (sqlfluff), Deno (lint, fmt, check)
lint: install
	$(BIN)/ruff check cli tests bench
	$(BIN)/mypy
	$(BIN)/sqlfluff lint sql supabase/migrations
	$(BIN)/deno fmt --check --config $(FUNCTIONS)/deno.json $(FUNCTIONS)
	$(BIN)/deno lint --config $(FUNCTIONS)/deno.json $(FUNCTIONS)
	$(BIN)/deno check --config $(FUNCTIONS)/deno.json $(FUNCTIONS)/*/index.ts $(FUNCTIONS)/tests/*.ts

## test: every suite
test: install db-up system-deps build lint test-deno test-frontend test-python bench-report

test-python: install
	$(BIN)/pytest

test-frontend: frontend/node_modules/.installed
	cd frontend && npx vitest run && npx vitest run --config widget/vitest.config.ts

test-deno: install
	$(BIN)/deno test --config $(FUNCTIONS)/deno.json

## bench-report: bundle sizes from the production build (a report, not a timed assertion)
bench-report: build
	node bench/frontend/sizes.mjs

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist tests/js/node_modules
