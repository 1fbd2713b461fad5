#!/bin/sh
# opsplaybook — offline install (Linux, macOS). Run once, in this folder: sh install.sh
# Installs from wheels/ only (pip --no-index): no network is needed or used.
set -eu
cd "$(dirname "$0")"
PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for cand in python@PYTHON_MINOR@ python3 python; do
    if command -v "$cand" >/dev/null 2>&1; then PY="$cand"; break; fi
  done
fi
if [ -z "$PY" ]; then
  echo "Python @PYTHON_MINOR@ was not found. Install it first (python.org), then run this script again." >&2
  exit 1
fi
echo "Creating workshop/.venv with $("$PY" --version 2>&1) ..."
"$PY" -m venv workshop/.venv
echo "Installing the workshop from wheels/ (no network) ..."
workshop/.venv/bin/python -m pip --isolated --disable-pip-version-check install --no-index \
  --find-links wheels -r requirements.txt opsplaybook
workshop/.venv/bin/opsplaybook --version
echo
echo "Installed. Start the workshop with:  sh start.sh"
