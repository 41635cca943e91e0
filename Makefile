# `make run` and `make test` work on a fresh machine with Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast test-postgres lint format clean npm-deps browser-deps audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalled whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(VENV)/.installed

# The web server and the background worker (freshness/tasks.py), stopped together.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py rerender --stale
	$(BIN)/python manage.py loaddemo
	$(BIN)/python manage.py ensureadmin --url http://$(HOST):$(PORT)/admin/
	@$(BIN)/python manage.py db_worker --interval 1 & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver --insecure $(HOST):$(PORT)

# Page-quality tools from npm (Nu checker, axe-core, Lighthouse), exact versions from
# package-lock.json. Without npm the tests that need them say so and are skipped.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

npm-deps:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory node_modules/.installed; \
	else echo "make: npm not found: the Nu checker and axe-core tests will be SKIPPED (make browser-deps installs it)"; fi

# What the browser and page-quality tests need; .ci/run calls this before `make test`.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; fi
	@command -v java >/dev/null || { apt-get update && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y default-jre-headless; }
	@command -v npm >/dev/null || { apt-get update && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm; }
	@/usr/bin/chromium --version && java -version 2>&1 | head -n 1 && echo "node $$(node --version)"
	$(MAKE) --no-print-directory node_modules/.installed

test: install npm-deps
	@[ -x /usr/bin/chromium ] || echo "make test: /usr/bin/chromium not found: the browser tests \
	(tests/browser) will be SKIPPED. Install it with: make browser-deps"
	$(BIN)/python -m pytest

# The suite without the browser tests and the Nu checker: seconds, no Chromium/Java/npm.
test-fast: install
	$(BIN)/python -m pytest -q -p no:cacheprovider --ignore=tests/browser \
	  --ignore=tests/test_html_validity.py

# Lighthouse 12 on the front page and the reference post, mobile and desktop.
audit: install npm-deps
	$(BIN)/python scripts/audit.py

# The whole suite against a throwaway PostgreSQL server on 127.0.0.1.
test-postgres: install
	scripts/with-postgres $(MAKE) test

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache node_modules test-output
