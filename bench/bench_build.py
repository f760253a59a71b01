"""Build benchmark: the shipped course and a generated large one, every target.

Run by hand: `.venv/bin/python bench/bench_build.py [--modules 100 --pages 20]`.
Prints milliseconds per package, peak memory (max RSS) of the process, package sizes, and the bytes
of runtime JavaScript + CSS in each package. Nothing here is asserted; numbers go into notes.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.build import Built, build  # noqa: E402
from builder.config import BuildConfig  # noqa: E402
from builder.errors import BuilderError  # noqa: E402
from builder.loader import load_course  # noqa: E402
from builder.targets import TARGETS  # noqa: E402

PAGE = """---
title: Page {p} of module {m}
---
## Section

Paragraph {p} with **bold** text, a [link to the next page]({next}) and a list:

- one
- two
- three

| a | b |
|---|---|
| 1 | 2 |
"""

QUESTION = """  - id: q{q}
    type: single
    objective: o1
    prompt: Question {q}?
    choices:
      - text: Right
        correct: true
      - text: Wrong
    explanation: Because.
    source: Bench
"""


def generate(dest: Path, modules: int, pages: int) -> Path:
    """Write a synthetic course of `modules` x `pages` pages with pre- and post-tests."""
    dest.mkdir(parents=True)
    (dest / "course.yaml").write_text(
        "id: https://example.org/bench/large\ntitle: Large\ndescription: Bench.\nversion: 1.0.0\n"
        "language: en\npublisher: bench\naudience: [x]\nkeywords: [x]\nduration_minutes: 999\n"
        "mastery_score: 80\ncompletion: all-pages-and-post-test\n"
    )
    for m in range(1, modules + 1):
        folder = dest / f"{m:03d}-m{m}"
        (folder / "pages").mkdir(parents=True)
        (folder / "assessments").mkdir()
        (folder / "module.yaml").write_text(
            f"id: m{m}\ntitle: Module {m}\nminutes: 10\nobjectives:\n  - id: o1\n    text: Do.\n"
        )
        for p in range(1, pages + 1):
            nxt = p + 1 if p < pages else 1
            text = PAGE.format(p=p, m=m, next=f"{nxt:02d}-page-{nxt}.md")
            (folder / "pages" / f"{p:02d}-page-{p}.md").write_text(text)
        for kind, count in (("pre-test", 5), ("post-test", 10)):
            body = "".join(QUESTION.format(q=f"{kind[:3]}{i}") for i in range(count))
            (folder / "assessments" / f"{kind}.yaml").write_text("questions:\n" + body)
    return dest


def runtime_bytes(package: Path) -> int:
    """Bytes (uncompressed) of runtime JavaScript and CSS in `package`."""
    with zipfile.ZipFile(package) as zf:
        return sum(i.file_size for i in zf.infolist() if i.filename.startswith("runtime/"))


def _build_all(source: Path, out: Path) -> list[Built]:
    """Every target in one build; a target the state budget refuses is retried degraded."""
    try:
        return build(BuildConfig(source_dir=source, out_dir=out))
    except BuilderError as exc:
        print(f"  refused: {str(exc).splitlines()[0][:160]}...")
    built = []
    for target in TARGETS:
        for degrade in (False, True):
            config = BuildConfig(
                source_dir=source, out_dir=out, targets=(target,), allow_state_degrade=degrade
            )
            try:
                built += build(config)
                if degrade:
                    print(f"  {target}: built only with --allow-state-degrade")
                break
            except BuilderError:
                continue
    return built


def measure(name: str, source: Path, out: Path) -> None:
    """Build `source` for every target and print the numbers."""
    started = time.perf_counter()
    load_course(source)
    load_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    built = _build_all(source, out)
    total = (time.perf_counter() - started) * 1000
    print(f"\n## {name}: {len(built)} packages in {total:.0f} ms (load + render + write)")
    print(f"  loading and validating the sources alone: {load_ms:.0f} ms")
    for b in built:
        print(
            f"  {b.target:14} {b.milliseconds:8.1f} ms  {b.size / 1024:9.1f} KiB zip  "
            f"runtime {runtime_bytes(b.path) / 1024:.1f} KiB"
        )
    print(f"  median {statistics.median(b.milliseconds for b in built):.1f} ms per package")


def main() -> None:
    """Run both benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--modules", type=int, default=100)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        measure("shipped course (modules/)", ROOT / "modules", work / "course")
        large = generate(work / "large-src", args.modules, args.pages)
        measure(f"generated {args.modules} x {args.pages}", large, work / "large")
        shutil.rmtree(work / "large-src")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
