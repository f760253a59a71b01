#!/usr/bin/env sh
# Create .venv-openedx/ with the Open edX SCORM and cmi5 XBlocks in the xblock-sdk workbench, for
# tests/openedx and tests/browser/test_openedx*.py. The SDK pins its own Django, so it gets its own
# virtualenv, not the builder's .venv. Every package is pinned in scripts/openedx-requirements.txt;
# a second run with the same pins installs nothing.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${OPENEDX_VENV:-$root/.venv-openedx}"
python="${PYTHON:-python3}"
requirements="$root/scripts/openedx-requirements.txt"
stamp="$venv/.coursepack-requirements.sha256"
cd "$root"
if ! sha256sum --check --status "$stamp" 2>/dev/null \
  || ! "$venv/bin/python" -c "import workbench, openedxscorm, openedx_cmi5_xblock, djpyfs, lazy" 2>/dev/null; then
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --no-deps --requirement "$requirements"
  "$venv/bin/python" -m pip check
  sha256sum scripts/openedx-requirements.txt >"$stamp"
fi
"$venv/bin/python" - <<'PY'
from importlib.metadata import version
names = ["xblock-sdk", "openedx-scorm-xblock", "openedx-cmi5-xblock", "XBlock", "Django",
         "openedx-django-pyfs", "lazy"]
print(", ".join(f"{name} {version(name)}" for name in names))
PY
