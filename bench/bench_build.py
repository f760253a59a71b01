"""Build benchmark: the shipped course and a generated large one, every target.

Run by hand: `.venv/bin/python bench/bench_build.py [--modules 100 --pages 20] [--runs 5]`.
Prints, first, the whole `coursepack build` process on the shipped course (wall and CPU seconds
and peak memory, medians of `--runs` runs, as a user sees it), and how that cost grows with the
number of pages (generated courses of 1x, 2x and 4x the pages); then, in this process,
milliseconds per package, package sizes and the bytes of runtime JavaScript + CSS in each package.
Nothing here is asserted; numbers go into notes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.build import Built, build  # noqa: E402
from builder.cache import default_folder  # noqa: E402
from builder.config import BuildConfig  # noqa: E402
from builder.errors import BuilderError  # noqa: E402
from builder.loader import load_course  # noqa: E402
from builder.package import LEVEL  # noqa: E402
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


def generate(dest: Path, modules: int, pages: int, interactions: str = "all") -> Path:
    """Write a synthetic course of `modules` x `pages` pages with pre- and post-tests;
    `interactions` is its `lms_interactions` (`none` keeps a long course within the SCORM
    commit budget)."""
    dest.mkdir(parents=True)
    (dest / "course.yaml").write_text(
        "id: https://example.org/bench/large\ntitle: Large\ndescription: Bench.\nversion: 1.0.0\n"
        "language: en\npublisher: bench\naudience: [x]\nkeywords: [x]\nduration_minutes: 999\n"
        "mastery_score: 80\ncompletion: all-pages-and-post-test\n"
        f"lms_interactions: {interactions}\n"
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
    """Every target in one build, with the cache a user's build has (`builder/cache.py`); a
    target the state budget refuses is retried degraded."""
    cache = default_folder()
    try:
        return build(BuildConfig(source_dir=source, out_dir=out, cache_dir=cache))
    except BuilderError as exc:
        print(f"  refused: {str(exc).splitlines()[0][:160]}...")
    built = []
    for target in TARGETS:
        for degrade in (False, True):
            config = BuildConfig(
                source_dir=source,
                out_dir=out,
                targets=(target,),
                allow_state_degrade=degrade,
                cache_dir=cache,
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


def whole_process(
    source: Path, out: Path, runs: int, cold: bool = False
) -> tuple[float, float, float]:
    """Medians of `runs` runs of `coursepack build` on `source` in a process of its own:
    (wall seconds, CPU seconds, peak memory in MiB), each from the child's own rusage. `cold`:
    each run with an empty temporary folder, so neither Jinja's compiled templates nor the
    minified runtime (builder/cache.py) are kept from an earlier build."""
    coursepack = Path(sys.executable).with_name("coursepack")
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        env = dict(os.environ)
        if cold:
            env["TMPDIR"] = tempfile.mkdtemp(dir=out.parent)
        started = time.perf_counter()
        child = subprocess.Popen(
            [str(coursepack), "build", "-q", "--source", str(source), "--out", str(out)], env=env
        )
        _, status, usage = os.wait4(child.pid, 0)
        walls.append(time.perf_counter() - started)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            raise SystemExit(f"coursepack build failed on {source}")
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(walls), statistics.median(cpus), statistics.median(peaks)


def measure_process(work: Path, runs: int) -> None:
    """The shipped course as a user builds it, and the cost per page on generated courses."""
    course = load_course(ROOT / "modules")
    pages = sum(len(m.pages) for m in course.modules)
    print(f"## whole process, shipped course ({pages} pages), every target, medians of {runs}")
    for cold in (False, True):
        wall, cpu, peak = whole_process(ROOT / "modules", work / "process", runs, cold)
        caches = "empty caches (first build)" if cold else "caches kept from the last build"
        print(f"  {caches}: {wall:.2f} s wall, {cpu:.2f} s CPU, {peak:.0f} MiB peak")
    print("## whole process, generated courses (10 pages a module), every target")
    cpus = {}
    for modules in (5, 10, 20):
        source = generate(work / f"linear-{modules}", modules, 10, "none")
        wall, cpu, peak = whole_process(source, work / "process", runs)
        cpus[modules * 10] = cpu
        print(f"  {modules * 10:4} pages: {wall:.2f} s wall, {cpu:.2f} s CPU, {peak:.0f} MiB peak")
    each = (cpus[200] - cpus[50]) / 150
    fixed = cpus[50] - 50 * each
    print(f"  each page adds {each * 1000:.1f} ms CPU; the rest ({fixed:.2f} s) does not grow")


_THIRD_PARTY = """
import sys, sysconfig
import builder.build, builder.cli
site = sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]
names = {m.split(".")[0] for m, mod in list(sys.modules.items())
         if getattr(mod, "__file__", None) and mod.__file__.startswith(site)}
print(" ".join(sorted(names - {"builder", "_distutils_hack"})))
"""


def _package_entries(source: Path) -> list[bytes]:
    """The contents of every file of the packages a build of `source` makes, each once."""
    with tempfile.TemporaryDirectory() as tmp:
        built = build(BuildConfig(source_dir=source, out_dir=Path(tmp), cache_dir=default_folder()))
        entries = []
        for b in built:
            with zipfile.ZipFile(b.path) as zf:
                entries += [zf.read(i) for i in zf.infolist() if not i.is_dir()]
    return list(dict.fromkeys(entries))


def measure_floor(runs: int) -> None:
    """What the libraries a build uses take on their own, before any of coursepack's work: a
    process that only imports them, and their parsing of the shipped course."""
    import markdown_it
    import yaml

    python = sys.executable
    names = subprocess.run(
        [python, "-c", _THIRD_PARTY], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen([python, "-c", "import " + ", ".join(names)])
        _, _, usage = os.wait4(child.pid, 0)
        walls.append(time.perf_counter() - started)
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)
    print(f"## the libraries alone (medians of {runs}): importing {' '.join(names)}")
    print(
        f"  {statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU, "
        f"{statistics.median(peaks):.0f} MiB peak"
    )
    pages = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("modules/*/pages/*.md"))]
    sources = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("modules/**/*.yaml"))]
    parser = markdown_it.MarkdownIt("commonmark").enable("table")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    tokens = [parser.parse(p) for p in pages]
    entries = _package_entries(ROOT / "modules")
    steps = {
        f"markdown-it parsing the {len(pages)} pages": lambda: [parser.parse(p) for p in pages],
        f"markdown-it rendering the {len(pages)} pages": lambda: [
            parser.renderer.render(t, parser.options, {}) for t in tokens
        ],
        f"zlib deflating the {len(entries)} distinct files of the 12 packages (level {LEVEL}; "
        "the build deflates the pages' shared start once)": lambda: [
            zlib.compress(e, LEVEL) for e in entries
        ],
        f"PyYAML (libyaml) reading the {len(sources)} YAML files": lambda: [
            yaml.load(s, Loader=loader) for s in sources
        ],
    }
    for label, step in steps.items():
        times = []
        for _ in range(runs):
            started = time.process_time()
            step()
            times.append(time.process_time() - started)
        print(f"  {label}: {statistics.median(times) * 1000:.0f} ms CPU")


def main() -> None:
    """Run the benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--modules", type=int, default=100)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        measure_process(work, args.runs)
        measure_floor(args.runs)
        measure("shipped course (modules/)", ROOT / "modules", work / "course")
        large = generate(work / "large-src", args.modules, args.pages)
        measure(f"generated {args.modules} x {args.pages}", large, work / "large")
        shutil.rmtree(work / "large-src")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
