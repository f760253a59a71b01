"""Ralph's LRS ASGI app with the file-system backend switched to append mode.

Run by tests/lrs/lrs.py with .venv-ralph's uvicorn: `uvicorn ralph_app:app`. This module is
imported by that virtualenv only (it needs Ralph, which pins its own FastAPI).
"""

from ralph.backends.data.base import BaseOperationType  # type: ignore[import-not-found]
from ralph.backends.lrs.fs import FSLRSBackend  # type: ignore[import-not-found]

# Ralph's fs backend writes in CREATE mode by default, so every POST after the first one fails
# with "file already exists" (500). Appending keeps one JSON-lines file of every statement.
# Patched on the class before the app module creates its backend instance.
FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # type: ignore[import-not-found]  # noqa: E402

__all__ = ["app"]
