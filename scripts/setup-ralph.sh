#!/usr/bin/env sh
# Create .venv-ralph/ with the Ralph LRS (server + `ralph auth` CLI) for tests/lrs.
# Ralph pins its own fastapi/pydantic, so it gets its own virtualenv, not the builder's .venv.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${RALPH_VENV:-$root/.venv-ralph}"
python="${PYTHON:-python3}"
if ! "$venv/bin/ralph" auth --help >/dev/null 2>&1; then
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet "ralph-malph[lrs,cli]==5.1.0" "requests>=2.31"
fi
"$venv/bin/python" -c "import ralph, uvicorn, requests; print('ralph', ralph.__version__)"
