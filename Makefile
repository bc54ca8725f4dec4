# MitWirkung: make install | run | test | bench | drills | soak | lint | lock | clean
# Everything Python lives in .venv, installed from requirements.lock (exact versions with
# their hashes); `make test` also installs Debian's chromium, postgresql and redis-server
# when they are missing and we are root.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TRANSLATIONS := mitwirkung/translations
LOCK := requirements.lock
PYTEST_FLAGS ?= -q

export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Re-extract every string and merge it into the catalogue; then translate the new entries.
translations-update: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l --ignore-dirs '.* .venv instance' \
	    -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching

.PHONY: help install lock translations translations-update run test test-deps server-deps \
        test-sqlite test-postgres test-browser lint bench drills soak clean distclean

help:
	@echo "make install   create .venv, install the app with its dev tools, compile translations"
	@echo "make run       install, migrate, load demo data, serve on http://127.0.0.1:5000"
	@echo "make test      ruff, tests on SQLite and on PostgreSQL + Redis, browser tests (Chromium + axe)"
	@echo "make bench     benchmarks on SQLite and PostgreSQL (docs/benchmarks.md)"
	@echo "make drills    faults under load: kills, database and mail server down (DRILLS=short: CI)"
	@echo "make soak      ten minutes of mixed load; fails if the workers' memory grows"
	@echo "make lint      ruff check"
	@echo "make lock      pin pyproject.toml's dependencies (with the dev extra) in $(LOCK)"
	@echo "               (keeps existing pins; LOCK_FLAGS=--upgrade moves all to the newest)"
	@echo "make clean     remove caches and build leftovers (distclean: also .venv)"

# --- install ---------------------------------------------------------------------------

$(BIN)/python:
	@if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then \
	    if [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then \
	        echo "--- installing python3-venv"; \
	        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	    else \
	        echo "$(PYTHON) cannot create a virtualenv: install python3-venv" >&2; exit 1; \
	    fi; \
	fi
	$(PYTHON) -m venv $(VENV)

# The lock pins every package, pip and setuptools included, so a clone installs the same
# bytes next year; the app itself goes in without resolving anything, built by the locked
# setuptools rather than whatever an isolated build would fetch (its warning that a folder
# named like the package shadows it is the point of an editable install here).
$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r $(LOCK)
	PYTHONWARNINGS="ignore:Editable installation" \
	    $(BIN)/pip install -q --no-deps --no-build-isolation -e .
	@touch $@

install: $(STAMP) translations

# After a change of pyproject.toml's dependencies: resolve again and pin with hashes. Pins
# that still fit stay as they are (pip-compile starts from the existing lock).
# tests/test_lock.py fails while the lock and pyproject.toml disagree.
LOCK_FLAGS ?=
lock: $(STAMP)
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile -q --generate-hashes --allow-unsafe \
	    --extra dev --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_FLAGS) \
	    -o $(LOCK) pyproject.toml
	$(MAKE) --no-print-directory install

translations: $(STAMP)
	@if compgen -G '$(TRANSLATIONS)/*/LC_MESSAGES/*.po' >/dev/null; then \
	    $(BIN)/pybabel compile -d $(TRANSLATIONS); \
	fi

# --- run -------------------------------------------------------------------------------

run: install
	$(BIN)/mitwirkung db upgrade
	$(BIN)/mitwirkung demo
	$(BIN)/flask --app mitwirkung run --host 127.0.0.1 --port 5000

# --- test ------------------------------------------------------------------------------

# Debian packages, installed only when missing (and only as root): the tests need all
# three, the drills and the soak only the servers.
test-deps: NEEDS := chromium postgresql redis-server
server-deps: NEEDS := postgresql redis-server
test-deps server-deps:
	@missing=""; \
	for package in $(NEEDS); do \
	    case $$package in \
	        chromium) [ -x /usr/bin/chromium ] || missing="$$missing chromium";; \
	        postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null \
	            || missing="$$missing postgresql";; \
	        redis-server) command -v redis-server >/dev/null || missing="$$missing redis-server";; \
	    esac; \
	done; \
	if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" -ne 0 ]; then \
	        echo "missing system packages:$$missing (run as root or apt-get install them)" >&2; \
	        exit 1; \
	    fi; \
	    echo "--- apt-get install$$missing"; \
	    apt-get update -qq; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

test: install test-deps
	@echo "--- ruff"
	time $(BIN)/ruff check mitwirkung tests
	@echo "--- pytest on SQLite"
	time $(BIN)/pytest $(PYTEST_FLAGS) --ignore=tests/browser
	@echo "--- pytest on PostgreSQL, rate limits in Redis"
	time PYTHON=$(BIN)/python bash tests/with_postgres.sh bash tests/with_redis.sh \
	    $(BIN)/pytest $(PYTEST_FLAGS) --db postgresql --ignore=tests/browser
	@echo "--- browser tests (Chromium + axe-core, SQLite)"
	time $(MAKE) --no-print-directory test-browser

test-sqlite: install
	$(BIN)/pytest $(PYTEST_FLAGS) --ignore=tests/browser

test-postgres: install test-deps
	PYTHON=$(BIN)/python bash tests/with_postgres.sh bash tests/with_redis.sh \
	    $(BIN)/pytest $(PYTEST_FLAGS) --db postgresql --ignore=tests/browser

# pytest exits 5 when it collects no tests: fine for an (as yet) empty browser folder.
test-browser: install test-deps
	@status=0; $(BIN)/pytest $(PYTEST_FLAGS) tests/browser || status=$$?; \
	if [ "$$status" -eq 5 ]; then echo "no browser tests collected"; status=0; fi; \
	exit $$status

# --- other -----------------------------------------------------------------------------

lint: install
	$(BIN)/ruff check mitwirkung tests
	-$(BIN)/ruff format --check mitwirkung tests

# Benchmarks, not timed tests: they measure and print (docs/benchmarks.md). SQLite first, then
# a throwaway PostgreSQL server (tests/with_postgres.sh); BENCH_FLAGS go to both runs.
BENCH_FLAGS ?=
bench: install
	@echo "--- bench on SQLite"
	$(BIN)/python bench/run.py --db sqlite $(BENCH_FLAGS)
	@if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then \
	    if [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then \
	        echo "--- apt-get install postgresql"; \
	        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	    else \
	        echo "PostgreSQL is missing: apt-get install postgresql" >&2; exit 1; \
	    fi; \
	fi
	@echo "--- bench on PostgreSQL"
	@# The SQLite run leaves a large database file to write back: let the disk settle first,
	@# or its writeback competes with the PostgreSQL run for the same two cores.
	sync
	PYTHON=$(BIN)/python bash tests/with_postgres.sh \
	    $(BIN)/python bench/run.py --db postgresql $(BENCH_FLAGS)

# Drills, not tests (docs/deployment.md, "Drills"): gunicorn, a throwaway PostgreSQL and Redis,
# faults under load, one table; exits 1 unless nothing was lost or doubled and no 5xx came.
DRILLS ?= full
drills: install server-deps
	PYTHON=$(BIN)/python bash tests/with_postgres.sh bash tests/with_redis.sh \
	    $(BIN)/python drills/run.py $(if $(filter short,$(DRILLS)),--short)

SOAK_SECONDS ?= 600
soak: install server-deps
	PYTHON=$(BIN)/python bash tests/with_postgres.sh bash tests/with_redis.sh \
	    $(BIN)/python drills/soak.py --seconds $(SOAK_SECONDS)

clean:
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache *.egg-info build dist
	find $(TRANSLATIONS) -name '*.mo' -delete 2>/dev/null || true

distclean: clean
	rm -rf $(VENV)
