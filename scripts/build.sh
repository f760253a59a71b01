#!/usr/bin/env bash
# Set up coursepack on a new machine and build the whole course into dist/.
# Usage: bash scripts/build.sh [extra `coursepack build` options]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
.venv/bin/coursepack build --source modules --out dist "$@"
