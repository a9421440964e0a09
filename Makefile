# trendvakt: the front door. `make demo` for a running system, `make test` for the checks.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8050
# make serve's gunicorn worker processes: 2 x cores + 1, at most 8 (dash_app/gunicorn_conf.py says why)
WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); echo $$(( 2 * n + 1 < 8 ? 2 * n + 1 : 8 )))
WAREHOUSE_DIR ?= warehouse
export TRENDVAKT_WAREHOUSE_DIR := $(abspath $(WAREHOUSE_DIR))
export TRENDVAKT_WAREHOUSE := $(abspath $(WAREHOUSE_DIR))/warehouse.duckdb
# WAIT=1: a build or ingest that finds another one running waits for it instead of exiting.
ifdef WAIT
export TRENDVAKT_WAIT := $(WAIT)
endif
# FORCE=source_id[,source_id]: reload these sources' files as new vintages even if unchanged.
ifdef FORCE
export TRENDVAKT_FORCE := $(FORCE)
endif
# STRICT=1: a build that published with a source's last good vintage (its new file was
# rejected) exits 1 instead of 0, after publishing. CI builds strictly.
ifdef STRICT
export TRENDVAKT_STRICT := $(STRICT)
endif

.PHONY: help demo setup ingest ingest-check build check coverage serve serve-cmd dev test test-slow test-all test-fast docs bench screenshots clean distclean

help:
	@echo "make demo    install, ingest the bundled data, build and check the marts, publish, serve on http://$(HOST):$(PORT)"
	@echo "make build   everything demo does except serving: ingest, dbt build, checks, publish, in one process;"
	@echo "             a source whose new file is rejected keeps its last good vintage (red in the Data quality"
	@echo "             view) and the rest is published; STRICT=1 then exits 1 (after publishing)"
	@echo "make ingest  load new or changed files from data/raw/ into warehouse/build.duckdb; a file whose spec"
	@echo "             changed is loaded again; FORCE=source_id[,...] reloads those sources on demand"
	@echo "             build and ingest hold a lock (warehouse/build.lock): a second one says who runs and exits 75;"
	@echo "             WAIT=1 (or TRENDVAKT_WAIT=1) makes it wait for the running one instead"
	@echo "make ingest-check SPEC=ingest/sources/x.yml  try a spec on its files under data/raw, writing nothing"
	@echo "make check   print the quality report of the published warehouse and the docs/test coverage of the marts"
	@echo "make serve   serve the trend views under gunicorn, $(WORKERS) worker processes (HOST=$(HOST) PORT=$(PORT) WORKERS=n);"
	@echo "             make serve-cmd prints the command"
	@echo "make dev     the Flask development server with Dash's dev tools and hot reload, one process (HOST, PORT)"
	@echo "make test    the test suite without the tests marked slow, browser tests included (needs Debian's chromium);"
	@echo "             TEST_WORKERS=2 files at a time; make test-slow runs the slow ones (about 25 min), make test-all all"
	@echo "make docs    generate the dbt documentation site into warehouse/dbt_docs/"
	@echo "make bench   ingest speed and memory, as ratios against baselines measured in the same run"
	@echo "make screenshots  every view at 1280 px and 390 px into screenshots/ (needs chromium)"
	@echo "make clean   remove the built warehouse files; make distclean also removes .venv"

demo: build serve

setup: $(VENV)/.installed

# Reinstall when the pins change. requirements.lock holds every transitive pin.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

ingest: setup
	$(PY) -m ingest

# Try one spec on its files under data/raw: parse, check, map, print the first observations; nothing is written.
ingest-check: setup
	$(PY) -m ingest check $(SPEC)

# One process under one lock from ingest to publish (warehouse/lock.py): a separate ingest process
# would leave a gap in which another run could write or publish.
build: setup
	$(PY) -m warehouse.build

check: setup
	$(PY) -m warehouse.check
	$(PY) -m warehouse.coverage --missing-only

coverage: setup
	$(PY) -m warehouse.coverage

# The app as planners get it: gunicorn, several workers (settings and the preload_app reasoning in
# dash_app/gunicorn_conf.py). The tests start the app with what `make -s serve-cmd` prints.
SERVE_CMD = $(PY) -m gunicorn --config dash_app/gunicorn_conf.py --bind $(HOST):$(PORT) --workers $(WORKERS) dash_app.app:server
serve: setup
	$(SERVE_CMD)

serve-cmd:
	@echo '$(SERVE_CMD)'

# Flask's development server, one process: Dash's dev tools (callback errors in the page) and hot
# reload on code changes (python -m dash_app keeps them off unless TRENDVAKT_DEBUG=1).
dev: setup
	TRENDVAKT_HOST=$(HOST) TRENDVAKT_PORT=$(PORT) TRENDVAKT_DEBUG=1 $(PY) -m dash_app

# Two workers, one test file each (pytest-xdist): a dbt build keeps about 1.2 cores busy, so two
# files side by side cut the suite from ~23 to ~16 minutes on a 2-core machine. TEST_WORKERS=0
# runs it in one process (as a debugger wants).
TEST_WORKERS ?= 2
# `make test` leaves out the tests marked slow (several minutes each: random kills, a build that
# waits for another, a build under a serving app, repeated leak plantings); they guard properties
# that change rarely, so they run on demand: `make test-slow`, or `make test-all` for everything.
test: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not slow"

test-slow: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile -m slow

test-all: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

test-fast: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not browser and not slow"

docs: setup
	TRENDVAKT_BUILD_DB=$(TRENDVAKT_WAREHOUSE_DIR)/build.duckdb $(VENV)/bin/dbt docs generate \
	  --project-dir dbt_project --profiles-dir dbt_project --target-path $(TRENDVAKT_WAREHOUSE_DIR)/dbt_docs --static
	@echo "open $(TRENDVAKT_WAREHOUSE_DIR)/dbt_docs/static_index.html"

clean:
	rm -rf $(WAREHOUSE_DIR)/*.duckdb $(WAREHOUSE_DIR)/*.duckdb.wal $(WAREHOUSE_DIR)/*.tmp \
	  $(WAREHOUSE_DIR)/dbt_target $(WAREHOUSE_DIR)/dbt_logs $(WAREHOUSE_DIR)/dbt_docs \
	  dbt_project/target dbt_project/logs .pytest_cache screenshots

distclean: clean
	rm -rf $(VENV)

bench: setup
	$(PY) -m bench

screenshots: setup
	$(PY) scripts/screenshots.py --warehouse $(TRENDVAKT_WAREHOUSE) --out screenshots
