#!/bin/sh
# opsplaybook — start the workshop's JupyterLab (Linux, macOS): sh start.sh   (add --ui-lang zh for 中文 menus)
set -eu
cd "$(dirname "$0")/workshop"
OPSPLAYBOOK_HOME="$(pwd)/.opsplaybook"
OPSPLAYBOOK_DEMO="$(pwd)/datasets/demo"
export OPSPLAYBOOK_HOME OPSPLAYBOOK_DEMO
exec .venv/bin/opsplaybook lab --notebook-dir "$(pwd)" "$@"
