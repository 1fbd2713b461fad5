# opsplaybook — two commands on a fresh machine (Python 3.11 + pip):
#   make lab    install into .venv (if needed), build the demo data (if missing), start JupyterLab
#   make test   install into .venv (if needed), run every test (unit, property, notebooks, benchmarks' smoke mode)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO := datasets/demo/users.parquet
PORT ?= 8888
# The workshop runs offline: no extension manager queries, update checks or news feeds.
LAB_OFFLINE := --LabApp.extension_manager=readonly --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate --LabApp.news_url=None

.PHONY: lab test install demo java lock gallery bench clean help

help:
	@echo "make lab   - start the workshop (JupyterLab on notebooks/)"
	@echo "make test  - run every test"
	@echo "make bench - run the full benchmarks (minutes)"
	@echo "make lock  - re-pin requirements.lock from pyproject.toml"

$(PY):
	$(PYTHON) -m venv $(VENV)

# Re-install only when the lock or the project metadata changed.
$(STAMP): requirements.lock pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

$(DEMO): | $(STAMP)
	$(VENV)/bin/opsplaybook generate --users 5000 --seed 0 --out datasets/demo --format parquet

demo: $(DEMO)

# PySpark needs Java 17+. Install a headless JRE with the system package manager when it is missing.
java:
	@if command -v java >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing a Java runtime for the PySpark tests ..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	else echo "WARNING: no Java found; the PySpark tests will be skipped (install Java 17+ to run them)."; fi

lab: install demo
	@echo "Starting JupyterLab on notebooks/ — open the URL printed below (it carries the access token)."
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --no-browser --port=$(PORT) $(LAB_OFFLINE) \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

test: install demo java
	$(PY) -m pytest tests
	$(PY) -m pytest --doctest-modules opsplaybook -q
	$(PY) -m pytest --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg $$(ls notebooks/*.ipynb exercises/*.ipynb 2>/dev/null)
	$(PY) benchmarks/run_all.py --smoke

bench: install
	$(PY) benchmarks/run_all.py

gallery: install
	$(VENV)/bin/opsplaybook gallery --out docs/gallery --lang $(or $(LANG_LABELS),zh)

# Maintainers: re-resolve the pinned set after editing dependencies in pyproject.toml.
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet --upgrade pip
	.lockvenv/bin/pip install --quiet ".[dev]"
	.lockvenv/bin/pip freeze --exclude opsplaybook | grep -v '^-e' > requirements.lock
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) build *.egg-info
