"""Bench cards' PDF benchmark: what importing the writer and making the shipped course's PDF cost.

Run by hand: `.venv/bin/python bench/bench_pdf.py [--runs 50]`.
Prints the import time of `builder.pdf` (in a fresh interpreter, as `python -X importtime` would
count it, standard library included), the milliseconds to lay out and write the PDF (median of
`--runs`, the cache cleared each time), its size, and its size deflated as the package's zip
stores it. Nothing here is asserted; numbers go into notes.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.bench_cards import pdf_bytes  # noqa: E402
from builder.loader import load_course  # noqa: E402


def import_ms() -> float:
    """Milliseconds to import `builder.pdf` in a new interpreter (its own line of -X importtime)."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import builder.pdf"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    line = next(x for x in run.stderr.splitlines() if x.rstrip().endswith("| builder.pdf"))
    return int(line.split("|")[1]) / 1000


def main() -> None:
    """Make the shipped course's PDF `--runs` times and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    course = load_course(ROOT / "modules")
    if course.bench_cards is None:
        sys.exit("the shipped course has no bench cards")
    cards = (course.bench_cards, course.spec.title, course.spec.language)
    times = []
    for _ in range(args.runs):
        pdf_bytes.cache_clear()
        start = time.perf_counter()
        data = pdf_bytes(*cards)
        times.append((time.perf_counter() - start) * 1000)
    print(f"import builder.pdf: {import_ms():.1f} ms (cumulative, fresh interpreter)")
    print(f"PDF of {len(course.bench_cards.cards)} cards: median {statistics.median(times):.2f} ms")
    print(f"size: {len(data)} bytes, {len(zlib.compress(data, 9))} bytes deflated")


if __name__ == "__main__":
    main()
