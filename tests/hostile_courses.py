"""Hostile course trees for `build`: copies of the minimal fixture course, each broken one way.

Used by `test_hostile_sources.py`, `test_fuzz.py` and `bench/bench_hostile.py`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

TESTS = Path(__file__).resolve().parent
MINIMAL = TESTS / "fixtures" / "courses" / "minimal"
MODULE = "01-basics"


def copy_minimal(dest: Path) -> Path:
    """A fresh copy of the minimal fixture course at `dest`."""
    shutil.copytree(MINIMAL, dest)
    return dest


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise AssertionError(f"{old!r} not in {path}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _scenario(steps: list[str]) -> str:
    return (
        "questions:\n  - id: case\n    type: scenario\n    objective: apply\n    prompt: A case.\n"
        "    explanation: Because.\n    source: Page two\n    steps:\n" + "".join(steps)
    )


def _step(i: int, nexts: list[int | None]) -> str:
    opts = "".join(
        f"          - text: Option {k}\n            feedback: F.\n            points: {k % 3 + 1}\n"
        + (f"            next: s{n}\n" if n is not None else "")
        for k, n in enumerate(nexts)
    )
    return f"      - id: s{i}\n        text: Step {i}.\n        options:\n{opts}"


def _write_scenario(course: Path, steps: list[str]) -> None:
    (course / MODULE / "assessments" / "pre-test.yaml").write_text(_scenario(steps))


def _alias_bomb(course: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    (course / "glossary.yaml").write_text("\n".join(lines) + "\n")


def _bad_name(course: Path) -> None:
    pages = course / MODULE / "pages"
    shutil.copy(pages / "02-the-rule.md", pages / os.fsdecode(b"03-caf\xe9\xff.md"))


def _compressible_asset(course: Path) -> None:
    # Over 1 MiB and deflating over 1000:1, as a zip bomb would (a page that big is refused).
    (course / MODULE / "assets").mkdir()
    (course / MODULE / "assets" / "table.csv").write_text("0,0,0,0\n" * 400_000)


def _big_pages(course: Path) -> None:
    # Twenty pages of 120 KB (each under the page limit): one index.html of about 2.4 MB.
    pages = course / MODULE / "pages"
    text = "A sentence of plain text, repeated to make the page long.\n" * 2000
    for i in range(20):
        (pages / f"{i + 10:02}-long-{i}.md").write_text(f"---\ntitle: Long {i}\n---\n{text}")


def _svg_logo(course: Path) -> None:
    (course / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>')
    _edit(course / "course.yaml", "completion:", "brand:\n  logo: logo.svg\ncompletion:")


def _in_course(old: str, new: str) -> Callable[[Path], None]:
    return lambda c: _edit(c / "course.yaml", old, new)


def _in_post_test(old: str, new: str) -> Callable[[Path], None]:
    return lambda c: _edit(c / MODULE / "assessments" / "post-test.yaml", old, new)


def _title(value: str) -> Callable[[Path], None]:
    return _in_course("title: Minimal test course", f"title: {value}")


def _asset(name: str, text: str) -> Callable[[Path], None]:
    def make(c: Path) -> None:
        (c / MODULE / "assets").mkdir()
        (c / MODULE / "assets" / name).write_text(text)

    return make


def _copy_page(new: str) -> Callable[[Path], None]:
    pages = Path(MODULE) / "pages"
    return lambda c: shutil.copy(c / pages / "02-the-rule.md", c / pages / new)


def _not_a_file(rel: str, kind: str) -> Callable[[Path], None]:
    """`rel` made a folder, a pipe or a link that leads nowhere where a file is expected."""

    def make(c: Path) -> None:
        path = c / rel
        path.unlink(missing_ok=True)
        if kind == "folder":
            path.mkdir()
            (path / "questions.yaml").write_text("questions: []\n")
        elif kind == "pipe":
            os.mkfifo(path)
        elif kind == "loop":
            path.symlink_to(path.name)
        else:
            path.symlink_to("gone.yaml")

    return make


#: name -> mutation of a copy of the minimal course (each made invalid in one way).
HOSTILE_SOURCES: dict[str, Callable[[Path], None]] = {
    "alias-bomb": _alias_bomb,
    "deep-nesting": _in_course("[test]", "[" * 780 + "]" * 780),
    "5000-digit-int": _in_course("duration_minutes: 10", "duration_minutes: " + "9" * 5000),
    "float-tag": _in_course("mastery_score: 80", "mastery_score: !!float x"),
    "nan-mastery": _in_course("mastery_score: 80", "mastery_score: .nan"),
    "inf-weight": _in_post_test("    source: Physics\n", "    source: Physics\n    weight: .inf\n"),
    "huge-weight": _in_post_test(
        "    source: Physics\n", "    source: Physics\n    weight: 1.0e+308\n"
    ),
    "form-feed-title": _title('"Minimal\\f course"'),
    "nul-description": _in_course("description: The", 'description: "\\0 The"\n#'),
    "esc-title": _title('"\\e[31m red"'),
    "ufffe-title": _title('"\\uFFFE x"'),
    "surrogate-title": _title('"\\uD800 x"'),
    "course-id-quotes": _in_course("minimal\n", 'minimal"<script>\n'),
    "page-name-space": _copy_page('03-the rule\'s "page".md'),
    "non-utf8-file-name": _bad_name,
    "scenario-exponential": lambda c: _write_scenario(
        c, [_step(i, [j if j < 12 else None for j in range(i + 1, i + 10)]) for i in range(12)]
    ),
    "scenario-1000-chain": lambda c: _write_scenario(
        c, [_step(i, [i + 1 if i < 999 else None]) for i in range(1000)]
    ),
    "scenario-cycle": lambda c: _write_scenario(c, [_step(0, [1]), _step(1, [0, None])]),
    "scenario-unreachable": lambda c: _write_scenario(
        c, [_step(0, [None, 2]), _step(1, [None]), _step(2, [None])]
    ),
    "php-asset": _asset("x.php", "<?php"),
    # Opened from a link, each would run its script in the LMS's origin, past the sanitiser.
    "html-asset": _asset("sim.html", "<script>alert(1)</script>"),
    "js-asset": _asset("lib.js", "alert(1)"),
    "xml-asset": _asset("data.xml", '<?xml-stylesheet href="x.xsl"?><x/>'),
    "svg-script": _asset(
        "fig.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'
    ),
    "svg-handler": _asset("fig.svg", '<svg xmlns="http://www.w3.org/2000/svg" OnLoad="x()"/>'),
    "svg-js-link": _asset(
        "fig.svg", '<svg xmlns="http://www.w3.org/2000/svg"><a href=" JavaScript:x()">a</a></svg>'
    ),
    "svg-foreign": _asset("fig.svg", "<svg><foreignObject><iframe/></foreignObject></svg>"),
    "svg-logo": _svg_logo,
    "svg-entity": _asset("fig.svg", '<!DOCTYPE svg [<!ENTITY s "&#60;script">]><svg>&s;</svg>'),
    "sh-asset": _asset("run.sh", "rm -rf /"),
    "compressible-asset": _compressible_asset,
    "20-big-pages": _big_pages,
    # A folder, pipe or broken link where a file is expected (was silently skipped: a course
    # lost its post-test without a word).
    "post-test-a-folder": _not_a_file(f"{MODULE}/assessments/post-test.yaml", "folder"),
    "post-test-broken-link": _not_a_file(f"{MODULE}/assessments/post-test.yaml", "link"),
    "post-test-link-loop": _not_a_file(f"{MODULE}/assessments/post-test.yaml", "loop"),
    "survey-a-pipe": _not_a_file("survey.yaml", "pipe"),
    "course-yaml-a-folder": _not_a_file("course.yaml", "folder"),
    "module-yaml-a-folder": _not_a_file(f"{MODULE}/module.yaml", "folder"),
    "page-a-folder": _not_a_file(f"{MODULE}/pages/03-more.md", "folder"),
    "asset-broken-link": lambda c: (
        (c / MODULE / "assets").mkdir(),
        _not_a_file(f"{MODULE}/assets/figure.png", "link")(c),
    ),
    "page-not-md": _copy_page("03-more.MD"),
    # And the reverse: a file where a folder is expected (was: the module's tests silently gone).
    "assessments-a-file": lambda c: (
        shutil.rmtree(c / MODULE / "assessments"),
        (c / MODULE / "assessments").write_text("questions: []\n"),
    ),
    "pages-a-file": lambda c: (
        shutil.rmtree(c / MODULE / "pages"),
        (c / MODULE / "pages").write_text("# Welcome\n"),
    ),
}
