"""Django settings: the workbench's own, plus what running openedx-scorm-xblock needs.

Everything that would otherwise be written beside the current directory (database, uploads, logs)
goes under `COURSEPACK_WORKBENCH_DIR`, a fresh folder per run.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbench.settings import *  # noqa: F403  (the SDK's settings are the base we extend)
from workbench.settings import INSTALLED_APPS, WORKBENCH

RUN_DIR = Path(os.environ["COURSEPACK_WORKBENCH_DIR"]).resolve()

DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(RUN_DIR / "db.sqlite3")},
}

# The XBlock stores each package with Django's default storage: a folder per run served under
# /media/ (the SDK's urls.py serves MEDIA_URL while DEBUG is on).
MEDIA_ROOT = str(RUN_DIR / "media")
MEDIA_URL = "/media/"
DJFS = {"type": "osfs", "directory_root": str(RUN_DIR / "djpyfs"), "url_root": "/static/djpyfs"}

# The workbench's own base URL (`http://127.0.0.1:<port>`): Open edX's LMS_ROOT_URL, read by the
# cmi5 XBlock for the actor's account homePage, and the host of third-party handler URLs.
LMS_ROOT_URL = os.environ.get("COURSEPACK_WORKBENCH_URL", "http://127.0.0.1")

XBLOCK_SETTINGS = {
    # Without this the iframe src is the `assets_proxy` handler URL, which in the workbench carries
    # `?student=...` before the package path (scormxblock.py `proxy_base_url` + `index_page_url`).
    "ScormXBlock": {"PROXY_ASSETS_LMS": False},
    # The LRS the cmi5 XBlock forwards statements to (openedx_cmi5_xblock.py `get_credentials`):
    # the tests' Ralph; empty, it forwards nothing.
    "CMI5XBlock": {
        "LRS_ENDPOINT": os.environ.get("COURSEPACK_CMI5_LRS_ENDPOINT", ""),
        "LRS_AUTH_KEY": os.environ.get("COURSEPACK_CMI5_LRS_KEY", ""),
        "LRS_AUTH_SECRET": os.environ.get("COURSEPACK_CMI5_LRS_SECRET", ""),
    },
}

# Our views (the scenario page, handlers, state read-out) come before the SDK's.
ROOT_URLCONF = "coursepack_workbench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "coursepack_workbench"]
WORKBENCH = {**WORKBENCH, "reset_state_on_restart": False}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "file": {"class": "logging.FileHandler", "filename": str(RUN_DIR / "workbench.log")},
    },
    "root": {"handlers": ["file"], "level": "INFO"},
}
