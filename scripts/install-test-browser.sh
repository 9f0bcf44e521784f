#!/usr/bin/env bash
# Installs the system Chromium the web end-to-end tests drive (Playwright never downloads one).
# Safe to run again: does nothing when /usr/bin/chromium is already there.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "install-test-browser: run as root (or install Debian's chromium package yourself)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
