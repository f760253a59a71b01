"""Report benchmark: `coursepack report` over generated statements of the shipped course.

Run by hand: `.venv/bin/python bench/bench_report.py [--sizes 250000 1000000] [--lines]`.
For each size it writes that many statements to a file (a JSON array, or JSON lines with
`--lines`): copies of one seeded cohort (tests/report_cohort.py: duplicates and voided statements
included) with fresh statement ids and learner names. Then it runs the report in a fresh process
and prints seconds (wall clock and CPU: on a shared machine CPU is the steadier figure) and the
peak memory (max RSS) of that process. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from report_cohort import cohort  # noqa: E402

RUN = """
import json, resource, sys, time
from pathlib import Path
from builder.report.run import ReportConfig, run_report
from builder.report.read import FileSource
from builder.report.write import write_outputs
started = time.perf_counter()
config = ReportConfig(source=FileSource(Path(sys.argv[1])), source_dir=Path(sys.argv[2]))
report = run_report(config)
write_outputs(report, None, None, Path(sys.argv[3]))
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mib": peak, "learners": report.learners,
                  "counts": report.counts, "notes": list(report.notes)}))
"""


def statements(total: int, voids_first: bool, seed: int = 11) -> Iterator[dict[str, Any]]:
    """`total` statements: copies of one cohort, each with new ids and learner names.

    The cohort's voiding statements follow what they void (the report then reads the file
    twice); with `voids_first` each comes just before it (one read).
    """
    base, _ = cohort(ROOT / "modules", learners=200, seed=seed)
    if voids_first:
        for voiding in [s for s in base if s["object"].get("objectType") == "StatementRef"]:
            base.remove(voiding)
            at = next(i for i, s in enumerate(base) if s["id"] == voiding["object"]["id"])
            base.insert(at, voiding)
    made, batch = 0, 0
    while True:
        batch += 1
        ids: dict[str, str] = {}
        for s in base:
            new = ids.setdefault(s["id"], str(uuid.UUID(int=uuid.uuid4().int, version=4)))
            account = {**s["actor"]["account"], "name": f"{s['actor']['account']['name']}-{batch}"}
            out = {**s, "id": new, "actor": {**s["actor"], "account": account}}
            if out["object"].get("objectType") == "StatementRef":
                target = ids.setdefault(out["object"]["id"], str(uuid.uuid4()))
                out["object"] = {**out["object"], "id": target}
            yield out
            made += 1
            if made >= total:
                return


def write(path: Path, total: int, lines: bool, voids_first: bool) -> None:
    with path.open("w", encoding="utf-8") as f:
        if lines:
            for s in statements(total, voids_first):
                f.write(json.dumps(s) + "\n")
            return
        f.write("[")
        for i, s in enumerate(statements(total, voids_first)):
            f.write(("," if i else "") + json.dumps(s))
        f.write("]\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[250_000, 1_000_000])
    parser.add_argument("--lines", action="store_true", help="JSON lines instead of an array")
    parser.add_argument(
        "--voids-first", action="store_true", help="voiding statements before what they void"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        for size in args.sizes:
            source = Path(tmp) / f"statements-{size}.json"
            started = time.perf_counter()
            write(source, size, args.lines, args.voids_first)
            made = time.perf_counter() - started
            mib = source.stat().st_size / 1048576
            result = subprocess.run(
                [sys.executable, "-c", RUN, str(source), str(ROOT / "modules"), f"{tmp}/r.json"],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            r = json.loads(result.stdout)
            kind = "JSON lines" if args.lines else "array"
            print(
                f"{size:>9,} statements ({mib:,.0f} MiB {kind}, made in {made:.0f} s): "
                f"report {r['seconds']:.1f} s ({r['cpu']:.1f} s CPU), peak {r['peak_mib']:.0f} MiB,"
                f" {r['learners']:,} learners, {r['counts'].get('duplicates', 0):,} duplicates,"
                f" {r['counts'].get('voided', 0):,} voided, passes: {1 + bool(r['notes'])}"
            )
            source.unlink()


if __name__ == "__main__":
    main()
