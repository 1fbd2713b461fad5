# opsplaybook — two commands on a fresh Linux or macOS machine (Python 3.11 + pip):
#   make lab    install the workshop set into .venv (if needed), build the demo data (if missing), start JupyterLab
#   make test   install the development set into .venv (if needed), run every test (unit, property,
#               doctests, notebooks, benchmarks' smoke mode)
# Windows (no make): py -m venv .venv && .venv\Scripts\pip install -r requirements-workshop.lock -e .
#                    && .venv\Scripts\opsplaybook lab
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
OPS := $(VENV)/bin/opsplaybook
STAMP_WORKSHOP := $(VENV)/.installed-workshop
STAMP_DEV := $(VENV)/.installed-dev
DEMO := datasets/demo/users.parquet
PORT ?= 8888
# e.g. make lab LAB_ARGS="--ui-lang zh"   (see opsplaybook lab --help)
LAB_ARGS ?=
# Fallback for `make lab` only while the kit has no `opsplaybook lab` launcher: offline JupyterLab.
LAB_OFFLINE := --LabApp.extension_manager=readonly --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate --LabApp.news_url=None
# make test runs the tests in parallel (pytest-xdist), one worker per CPU; TEST_JOBS=0 runs them in one
# process. Each test file stays on one worker (--dist loadfile), so a module's fixtures (a JupyterHub,
# a graded folder, a report) are built once; each worker that runs a Spark test starts its own Spark.
# The longest files go first (tests/conftest.py's LONGEST_FIRST, hence --no-loadscope-reorder).
TEST_JOBS ?= auto
XDIST = -n $(TEST_JOBS) --dist loadfile --no-loadscope-reorder

.PHONY: lab test install install-dev demo build java chromium lock gallery bench bundle clean help

help:
	@echo "make lab    - start the workshop (JupyterLab on the built notebooks)"
	@echo "make test   - run every test"
	@echo "make build  - build notebooks/ and exercises/ from workbook/"
	@echo "make bench  - run the full benchmarks (minutes)"
	@echo "make bundle - a folder for USB sticks: every wheel the workshop needs (BUNDLE=dir, default dist/bundle)"
	@echo "make lock   - re-pin requirements-workshop.lock and requirements-dev.lock from pyproject.toml"

$(PY):
	$(PYTHON) -m venv $(VENV)

# Re-install only when a lock or the project metadata changed. The dev set contains the workshop set.
$(STAMP_WORKSHOP): requirements-workshop.lock pyproject.toml | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-workshop.lock
	$(PIP) install --quiet --no-deps -e .
	@touch $@

$(STAMP_DEV): requirements-dev.lock requirements-workshop.lock pyproject.toml | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.lock
	$(PIP) install --quiet --no-deps -e .
	@touch $@ $(STAMP_WORKSHOP)

install: $(STAMP_WORKSHOP)
install-dev: $(STAMP_DEV)

$(DEMO): | $(STAMP_WORKSHOP)
	$(OPS) generate --users 5000 --seed 0 --out datasets/demo --format parquet

demo: $(DEMO)

build: install
	$(OPS) build

# PySpark needs Java 17+. Install a headless JRE with the system package manager when it is missing.
java:
	@if command -v java >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing a Java runtime for the PySpark tests ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	else echo "WARNING: no Java found; the PySpark tests will be skipped (install Java 17+ to run them)."; fi

# The real-browser test drives the system Chromium through Playwright (never a downloaded browser build).
chromium:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Chromium for the browser test ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "WARNING: no Chromium found; the browser test will be skipped (install the chromium package to run it)."; fi

# The kit's own launcher (demo data, offline settings, bundled font, token); the plain JupyterLab
# command only while the installed kit has no `lab` command yet.
lab: install demo
	@if $(OPS) lab --help >/dev/null 2>&1; then exec $(OPS) lab --port $(PORT) $(LAB_ARGS); \
	else echo "Starting JupyterLab on notebooks/ — open the URL printed below (it carries the access token)."; \
	  exec $(VENV)/bin/jupyter lab --notebook-dir=notebooks --no-browser --port=$(PORT) $(LAB_OFFLINE) \
	    $$( [ "$$(id -u)" = 0 ] && echo --allow-root ); fi

# Every built notebook (notebooks/, exercises/; the solved exercises with OPSPLAYBOOK_STRICT=1) runs
# once under nbval --nbval-lax, inside the tests: tests/notebooks/test_notebooks_clean.py runs nbval on
# each and checks its outputs too (no error, nothing on stderr, the exercise feedback).
test: install-dev demo java chromium
	$(PY) -m pytest tests $(XDIST)
	$(PY) -m pytest --doctest-modules opsplaybook -q $(XDIST)
	$(PY) benchmarks/run_all.py --smoke

bench: install-dev
	$(PY) benchmarks/run_all.py

gallery: install
	$(OPS) gallery --out docs/gallery --lang $(or $(LANG_LABELS),zh)

BUNDLE ?= dist/bundle
bundle: install
	$(OPS) bundle $(BUNDLE) $(BUNDLE_ARGS)

# Maintainers: re-resolve both pinned sets after editing dependencies in pyproject.toml (about a minute).
lock:
	$(PYTHON) scripts/lock.py

clean:
	rm -rf $(VENV) build dist *.egg-info
