#!/usr/bin/env bash
# Installs everything wavalidate needs on a fresh Debian/Ubuntu machine:
# graphviz and fonts for rendering (without fonts, PNG text silently comes out
# as empty boxes), then the package itself with its test and static-check dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
if ! command -v dot >/dev/null || ! fc-list 2>/dev/null | grep -qi dejavu; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq graphviz fonts-dejavu-core >/dev/null
fi

# Chromium and its WebDriver, from Debian, for the HTML report's browser tests (no browser download).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

PYTHON="${PYTHON:-python3}"
"$PYTHON" -m pip install -q --upgrade pip "setuptools>=70.1" wheel
# test: pytest and friends; dev: the pinned static checkers .ci/run also runs (ruff, mypy, stubs).
"$PYTHON" -m pip install -q -e ".[test,dev]"
# pyenv only finds new console scripts (`wavalidate`) after a rehash.
if command -v pyenv >/dev/null; then pyenv rehash || true; fi
