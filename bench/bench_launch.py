"""Launch benchmark: what a learner's browser loads, and how soon the first page shows.

Run by hand: `.venv/bin/python bench/bench_launch.py [--runs 5]`.
Builds the shipped course (`modules/`) for every target and prints, per package:
- the runtime JavaScript + CSS bytes as modules (`builder/runtime.py`, what packages shipped
  before the bundle) and as shipped (`builder/bundle.py`), and their file counts;
- requests per launch: every request headless Chromium makes opening `index.html` from disk;
- time to first page: from navigation start until the first page section is shown by the
  runtime (median of `--runs` launches, each in a fresh browser context), for the package from
  disk and over http from 127.0.0.1; and, over http, for the same package with the runtime as
  ES modules (as shipped before the bundle: those do not run from disk at all).
Nothing here is asserted; numbers go into notes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browser_site import CHROMIUM_ARGS, chromium_path  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from builder.build import build  # noqa: E402
from builder.bundle import bundle_runtime  # noqa: E402
from builder.config import BuildConfig  # noqa: E402
from builder.runtime import runtime_files  # noqa: E402
from builder.targets import TARGETS  # noqa: E402

CODE = (".js", ".css")
#: The moment the runtime has shown the first page (the <html> class it sets, one section shown).
SHOWN = """() => document.documentElement.classList.contains("cp-js")
  && [...document.querySelectorAll("section.cp-page")].some((s) => !s.hidden)"""


def code_bytes(files: list, prefix: str = "runtime/") -> tuple[int, int]:
    """(bytes, count) of the JS and CSS among `files`."""
    code = [f for f in files if f.arcname.startswith(prefix) and f.arcname.endswith(CODE)]
    return sum(len(f.data) for f in code), len(code)


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser that closes a connection early is no news here


def as_modules(dest: Path, modules: list) -> None:
    """Turn the unzipped package at `dest` back into the ES-module runtime (before the bundle)."""
    for f in modules:
        path = dest / f.arcname
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f.data)
    index = dest / "index.html"
    html = index.read_text(encoding="utf-8")
    html = html.replace(
        '<script src="runtime/coursepack.js">', '<script type="module" src="runtime/main.js">'
    )
    index.write_text(html, encoding="utf-8")


def launch(browser: Browser, index: str) -> tuple[float, int]:
    """Milliseconds to the first page and the number of requests, one fresh launch."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    requests: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(index)
    page.wait_for_function(SHOWN)
    ms = page.evaluate("performance.now()")
    context.close()
    return float(ms), len(requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        config = BuildConfig(
            source_dir=ROOT / "modules", out_dir=Path(tmp) / "z", targets=tuple(TARGETS)
        )
        built = build(config)
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        server = Server(("127.0.0.1", 0), partial(Quiet, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        print("JS+CSS bytes and files: as ES modules (before) / bundled (after); requests per")
        print("launch; ms to the first page: bundle from disk, bundle over http, modules over http")
        print(
            f"{'package':16} {'before B':>9} {'n':>3} {'after B':>8} {'n':>3} "
            f"{'req before':>10} {'req after':>9} {'disk':>6} {'http':>6} {'modules':>7}"
        )
        try:
            for b in built:
                modules = runtime_files(TARGETS[b.target])
                before, before_n = code_bytes(modules)
                after, after_n = code_bytes(bundle_runtime(modules))
                dest, old = Path(tmp) / b.target, Path(tmp) / f"{b.target}-modules"
                for folder in (dest, old):
                    with zipfile.ZipFile(b.path) as zf:
                        zf.extractall(folder)
                as_modules(old, modules)
                disk = [launch(browser, (dest / "index.html").as_uri()) for _ in range(args.runs)]
                http = [launch(browser, f"{base}/{b.target}/index.html") for _ in range(args.runs)]
                mods = [launch(browser, f"{base}/{old.name}/index.html") for _ in range(args.runs)]
                med = [statistics.median(r[0] for r in runs) for runs in (disk, http, mods)]
                print(
                    f"{b.target:16} {before:>9} {before_n:>3} {after:>8} {after_n:>3} "
                    f"{mods[0][1]:>10} {disk[0][1]:>9} {med[0]:>6.0f} {med[1]:>6.0f} "
                    f"{med[2]:>7.0f}"
                )
        finally:
            server.shutdown()
            server.server_close()
            browser.close()


if __name__ == "__main__":
    main()
