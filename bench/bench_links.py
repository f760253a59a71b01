"""Link-check benchmark: `check --links` over the shipped course's web addresses.

Run by hand: `.venv/bin/python bench/bench_links.py [--delay 0.2]`.
The network here reaches no site but 127.0.0.1, so every address of the course's pages
(`builder.linkcheck.page_addresses`) is asked, instead, of a server on 127.0.0.1 that answers
each after `--delay` seconds (a far server's round trip): its path is the address's host and
path. Prints how many addresses and places, and the wall time with 1 worker and with the
shipped `WORKERS`. Nothing here is asserted; numbers go into notes.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.linkcheck import WORKERS, ask, link_report, page_addresses  # noqa: E402
from builder.loader import load_course  # noqa: E402


def serve(delay: float) -> tuple[ThreadingHTTPServer, str]:
    """A server answering 200 to everything after `delay` seconds; its base URL."""

    class Slow(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            time.sleep(delay)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.2)
    args = parser.parse_args()
    addresses = page_addresses(load_course(ROOT / "modules"))
    places = sum(len(v) for v in addresses.values())
    server, base = serve(args.delay)
    try:
        local = {}
        for url, where in addresses.items():
            parts = urllib.parse.urlsplit(url)
            local[f"{base}/{parts.netloc}{parts.path}"] = where
        print(f"{len(addresses)} distinct addresses, {places} places; each answer after "
              f"{args.delay:g} s")  # fmt: skip
        for workers in (1, WORKERS):
            started = time.perf_counter()
            warnings, _ = link_report(local, ask, workers=workers)
            took = time.perf_counter() - started
            print(f"{workers} worker(s): {took:.1f} s, {len(warnings)} broken")
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
