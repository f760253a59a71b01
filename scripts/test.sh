#!/usr/bin/env bash
# The one test command, also for a new machine (Debian, as root, Python 3.11 and Node 20 present):
# installs what is missing (Chromium, .venv, node_modules), then runs every check and exits
# non-zero if any of them failed. A second run with nothing to install goes straight to the checks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }

# --- Install what is missing -------------------------------------------------------------------
if ! command -v chromium >/dev/null 2>&1; then
  step "installing Chromium from Debian"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

if [ ! -x .venv/bin/python ]; then
  step "creating .venv"
  "$(command -v python3.11 || command -v python3)" -m venv .venv
fi
# Reinstall only when pyproject.toml changed since the last install (pip would rebuild every time).
stamp=.venv/.coursepack-pyproject.sha256
if ! sha256sum --check --status "$stamp" 2>/dev/null; then
  step "pip install -e '.[test]'"
  .venv/bin/python -m pip install --quiet -e '.[test]'
  sha256sum pyproject.toml >"$stamp"
fi

# `npm ci` deletes node_modules and reinstalls: run it only when the lock changed since the last
# install and what is installed does not match package.json (`npm ls` checks that offline).
lock_stamp=node_modules/.coursepack-lock.sha256
if ! sha256sum --check --status "$lock_stamp" 2>/dev/null; then
  if [ ! -d node_modules ] || ! npm ls --all >/dev/null 2>&1; then
    step "npm ci"
    npm ci --no-audit --no-fund
  fi
  sha256sum package-lock.json >"$lock_stamp"
fi

# The LRS used by the xAPI tests (Ralph) pins its own FastAPI, so it lives in its own venv.
if [ ! -x .venv-ralph/bin/ralph ]; then
  step "setting up the Ralph LRS in .venv-ralph"
  bash scripts/setup-ralph.sh
fi

# The Open edX SCORM and cmi5 XBlocks in the xblock-sdk workbench (tests/openedx) pin their own Django.
if [ ! -x .venv-openedx/bin/python ] || ! sha256sum --check --status .venv-openedx/.coursepack-requirements.sha256 2>/dev/null; then
  step "setting up the Open edX SCORM and cmi5 XBlock workbench in .venv-openedx"
  bash scripts/setup-openedx.sh
fi

# --- Run every check, then report all failures at once ----------------------------------------
failed=()
check() {
  step "$*"
  if ! "$@"; then failed+=("$*"); fi
}
check .venv/bin/ruff check .
check .venv/bin/ruff format --check .
check .venv/bin/mypy
check node --test tests/js/
check .venv/bin/pytest

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\nFAILED:\n' >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit 1
fi
printf '\nAll checks passed.\n'
