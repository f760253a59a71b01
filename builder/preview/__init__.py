"""`coursepack preview`: build into a temporary folder and serve a small LMS on 127.0.0.1.

The page lists the course's packages and launches each as its target (`launchers.py`); a side
panel shows the SCORM API calls, the CMI data, the suspend data against the target's limit and
every statement the store (`store.py`) receives with its profile warnings. Sources and templates
are watched and rebuilt (`builds.py`); the HTTP side is `server.py`; scorm-again is found or
fetched by `vendor.py`.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import uuid
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from builder.build import check_options
from builder.config import BuildConfig, lrs_endpoint
from builder.errors import UsageError
from builder.preview.builds import Builds
from builder.preview.launchers import Session
from builder.preview.server import Preview, PreviewServer
from builder.preview.store import Store
from builder.preview.vendor import runtime_dir
from builder.targets import TARGETS

log = logging.getLogger("coursepack")

#: The environment variable holding the Authorization value for `--lrs` (never an option:
#: command lines end up in shell histories and process lists).
LRS_AUTH_ENV = "COURSEPACK_LRS_AUTH"


@dataclass(frozen=True, slots=True)
class PreviewOptions:
    """What `coursepack preview` was asked for."""

    port: int = 8000
    open_browser: bool = False
    lrs: str | None = None


def _bind(port: int, preview: Preview) -> PreviewServer:
    try:
        return PreviewServer(port, preview)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"--port {port}: expected a free port on 127.0.0.1, found it in use "
                "(another preview or server?); choose another with --port N, or --port 0 for any"
            ) from None
        raise UsageError(f"--port {port}: cannot listen on 127.0.0.1: {exc.strerror}") from None


def _check_lrs(url: str | None) -> None:
    """A `UsageError` unless `url` is an LRS endpoint without a credential (none is shown)."""
    if url is not None:
        advice = f"put the Authorization value in the environment variable {LRS_AUTH_ENV}"
        lrs_endpoint("--lrs", url, advice)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM (`kill`, a terminal or service manager closing) stops the preview as Ctrl-C does,
    so its temporary folder and servers are removed; without this the process would just end."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread (tests run the preview in others)
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_preview(config: BuildConfig, options: PreviewOptions) -> None:
    """Serve the preview until Ctrl-C or SIGTERM; every thread and file it made is gone when it
    returns. Options no build can satisfy (--lms, --units) exit before anything is served."""
    _check_lrs(options.lrs)
    check_options(config)
    with _stopped_by_sigterm():
        _serve(config, options)


def _serve(config: BuildConfig, options: PreviewOptions) -> None:
    scorm = any(TARGETS[t].standard.startswith("scorm") for t in config.targets)
    vendor = runtime_dir(Path.cwd()) if scorm else None
    root = Path(tempfile.mkdtemp(prefix="coursepack-preview-"))
    stop = threading.Event()
    session = Session("", str(uuid.uuid4()), "")
    try:
        builds = Builds(config, root)
        store = Store()
        preview = Preview(builds, store, session, vendor, options.lrs, os.environ.get(LRS_AUTH_ENV))
        server = _bind(options.port, preview)
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        session.base_url, session.lrs_endpoint = url.rstrip("/"), f"{url}xapi/"
        builds.rebuild()
        watcher = threading.Thread(target=builds.watch, args=(stop,), name="watch", daemon=True)
        watcher.start()
        log.info("preview at %s (Ctrl-C stops it)", url)
        sys.stdout.flush()
        if options.open_browser:
            webbrowser.open(url)
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            server.server_close()
            watcher.join(timeout=5)
        log.info("preview stopped")
    finally:
        stop.set()
        for close in session.closers:
            close()
        shutil.rmtree(root, ignore_errors=True)
