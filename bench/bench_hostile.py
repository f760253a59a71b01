"""Hostile-input benchmark: fuzz throughput of the in-process build, and the worst hostile input.

Run by hand: `.venv/bin/python bench/bench_hostile.py [--fuzz-seconds 20] [--only NAME]`.

1. Fuzz: random mutations of the minimal course (`tests/fuzz_mutations.py`, the same the
   property-based test draws) through `build`, in process; prints cases per second.
2. Every hostile course tree of `tests/hostile_courses.py` through `build`, every hostile zip
   of `tests/hostile_zips.py` through `validate` and three hostile statement files through
   `report`'s reader, each in a forked child under a 3 GB
   address-space limit and a 90 s alarm; prints the outcome, seconds and peak RSS of each, and
   counts per outcome.

`--builder-root DIR` imports `builder` from another checkout (to measure before a change).
Nothing is asserted; the numbers go into notes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _setup(builder_root: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(builder_root))


def _build_case(course: Path, out: Path) -> str:
    from builder.build import build
    from builder.config import BuildConfig
    from builder.errors import BuilderError
    from builder.validate import validate_package

    try:
        built = build(BuildConfig(source_dir=course, out_dir=out))
    except BuilderError as exc:
        return "clear error: " + str(exc).splitlines()[0][:100]
    refused = []  # exit 0 must mean valid
    for b in built:
        errors = validate_package(b.path, None).errors
        if b.target == "web":  # a web package has no manifest, by design
            errors = tuple(e for e in errors if "no manifest" not in e)
        if errors:
            refused.append(f"{b.path.name}: {errors[0][:60]}")
    return f"exit 0, validate refuses {refused}" if refused else "exit 0 (accepted)"


def _validate_case(path: Path) -> str:
    from builder.validate import validate_package

    report = validate_package(path, None)
    if not report.errors:
        return "passes as valid"
    return f"refused: {len(report.errors)} line(s): {report.errors[0][:100]}"


def _report_case(path: Path) -> str:
    from builder.errors import BuilderError
    from builder.report.read import FileSource

    try:
        n = sum(1 for _ in FileSource(path)())
    except BuilderError as exc:
        return "clear error: " + str(exc).replace(str(path), path.name)[:100]
    return f"read {n} statements"


def _hostile_statement_files(base: Path) -> dict[str, Path]:
    """Statement files for `report --from`: one huge line, an array that never closes, nesting."""
    files = {}
    for name, head in (("one-line-300MiB", b'{"a": "'), ("unclosed-array-300MiB", b'[{"a": "')):
        path = files[name] = base / f"{name}.json"
        with path.open("wb") as f:
            f.write(head)
            for _ in range(300):
                f.write(b"a" * 1024**2)
    files["deep-100k"] = base / "deep.json"
    files["deep-100k"].write_bytes(b'{"a": ' + b"[" * 100_000 + b"\n")
    return files


def _isolated(run: Callable[[], str], seconds: int = 90) -> dict[str, Any]:
    """Run `run` in a forked child; its outcome, wall time and peak RSS (MiB)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))
        signal.alarm(seconds)
        started = time.perf_counter()
        try:
            outcome = run()
        except MemoryError:
            outcome = "memory exhausted (MemoryError)"
        except BaseException as exc:  # the point: anything that escapes
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            outcome = f"TRACEBACK {type(exc).__name__} at {where}"
        result = {
            "outcome": outcome,
            "seconds": time.perf_counter() - started,
            "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
        os.write(write, json.dumps(result).encode())
        os._exit(0)
    os.close(write)
    started = time.perf_counter()
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if chunks:
        return dict(json.loads(b"".join(chunks)))
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    return {
        "outcome": "TIMEOUT (alarm)" if sig == signal.SIGALRM else f"KILLED (signal {sig})",
        "seconds": time.perf_counter() - started,
        "rss_mib": float("nan"),
    }


def _fuzz(seconds: float) -> None:
    from fuzz_mutations import apply_mutation, random_mutation
    from hostile_courses import copy_minimal

    from builder.build import build
    from builder.config import BuildConfig
    from builder.errors import BuilderError

    rng = random.Random(15)
    cases = ok = escaped = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        while time.perf_counter() - started < seconds:
            case = Path(tmp) / f"c{cases}"
            course = copy_minimal(case / "course")
            apply_mutation(course, random_mutation(rng))
            try:
                build(BuildConfig(source_dir=course, out_dir=case / "out", targets=("scorm12",)))
                ok += 1
            except BuilderError:
                pass
            except Exception:
                escaped += 1
            cases += 1
    elapsed = time.perf_counter() - started
    print(
        f"fuzz: {cases} cases in {elapsed:.1f} s = {cases / elapsed:.1f} cases/s "
        f"({ok} built, {escaped} escaped as tracebacks)"
    )


def main() -> None:
    """Run the benchmark and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz-seconds", type=float, default=20.0)
    parser.add_argument("--builder-root", type=Path, default=ROOT)
    parser.add_argument("--only", help="run only the hostile inputs whose name contains this")
    args = parser.parse_args()
    _setup(args.builder_root.resolve())
    from hostile_courses import HOSTILE_SOURCES, copy_minimal
    from hostile_zips import HOSTILE_ZIPS, hostile_folder, text_heavy_zip

    if args.fuzz_seconds > 0 and not args.only:
        _fuzz(args.fuzz_seconds)
    rows: list[tuple[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for name, mutate in HOSTILE_SOURCES.items():
            if args.only and args.only not in name:
                continue
            course = copy_minimal(base / "src" / name)
            mutate(course)
            result = _isolated(lambda c=course, n=name: _build_case(c, base / "out" / n))
            rows.append((f"build    {name}", result))
        for name, (make, _) in HOSTILE_ZIPS.items():
            if args.only and args.only not in name:
                continue
            path = base / f"{name}.zip"
            path.write_bytes(make())
            rows.append((f"validate {name}", _isolated(lambda p=path: _validate_case(p))))
        heavy = {"text-120MiB": 120, "text-200MiB": 200}
        for name, mib in heavy.items():  # worst cases for time: all text, under every ratio
            if args.only and args.only not in name:
                continue
            path = base / f"{name}.zip"
            path.write_bytes(text_heavy_zip(mib))
            rows.append((f"validate {name}", _isolated(lambda p=path: _validate_case(p))))
        for name, path in _hostile_statement_files(base).items():
            if args.only and args.only not in name:
                continue
            rows.append((f"report   {name}", _isolated(lambda p=path: _report_case(p))))
        if not args.only or args.only in "folder-symlink":
            folder = hostile_folder(base / "folder", base / "outside")
            rows.append(("validate folder-symlink", _isolated(lambda: _validate_case(folder))))
    for label, r in rows:
        print(f"{label:36} {r['seconds']:7.2f} s {r['rss_mib']:8.0f} MiB  {r['outcome']}")
    worst_time = max(rows, key=lambda r: r[1]["seconds"])
    worst_mem = max(rows, key=lambda r: r[1]["rss_mib"] if r[1]["rss_mib"] >= 0 else 0)
    print(f"worst time:   {worst_time[0]} {worst_time[1]['seconds']:.2f} s")
    print(f"worst memory: {worst_mem[0]} {worst_mem[1]['rss_mib']:.0f} MiB")
    kinds = Counter(r["outcome"].split(":")[0].split(",")[0].split(" (")[0] for _, r in rows)
    for kind, n in sorted(kinds.items()):
        print(f"  {n:3} {kind}")


if __name__ == "__main__":
    main()
