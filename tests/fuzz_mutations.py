"""Mutations of a course tree for fuzzing the build: YAML values, keys, types, names, Markdown.

A `Mutation` is plain data, so hypothesis draws it (`test_fuzz.py`) and `bench/bench_hostile.py`
draws it from a seeded `random.Random` (`random_mutation`); `apply_mutation` does the edit on disk.
"""

from __future__ import annotations

import json
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path

#: Raw YAML that has broken readers before: aliases, tags, non-numbers, deep nesting, escapes.
HOSTILE_RAW = (
    ".nan",
    ".inf",
    "-.inf",
    ".NaN",
    "1e400",
    "-1",
    "0",
    "1.5",
    "9" * 5000,
    "0x" + "f" * 40,
    "!!float x",
    "!!int x",
    "!!float .nan",
    "!!binary aGk=",
    "!!timestamp x",
    "!!python/object/apply:os.system [x]",
    "!!set {a, b}",
    "2024-01-01",
    "*nope",
    "&a x",
    "[" * 300 + "]" * 300,
    "{a: " * 100 + "1" + "}" * 100,
    "[]",
    "{}",
    "''",
    "~",
    "yes",
    "true",
    "<script>alert(1)</script>",
    '"\\f form feed"',
    '"\\0 nul"',
    '"\\e escape"',
    '"\\uFFFE"',
    '"\\uD800"',
    '"\\x7f del"',
    '"a\\u0085b"',
    "a\tb",
    'https://example.org/x"<>',
    "https://lrs.example/x?token=abc",
    "'<<': x",
    "scenario",
    "numeric",
    "likert",
    "https://example.org/c/x y",
    "x" * 300,
)

#: Lines inserted as they are (several lines of YAML, or Markdown).
HOSTILE_BLOCKS = (
    "a: &a [1, 2]\nb: [*a, *a, *a]",
    "<<: {title: x}",
    "? [complex, key]\n: value",
    "--- \n--- ",
    "%YAML 1.1\n---",
    ">" * 200 + " deep quote",
    "- " * 200 + "deep list",
    "[x](" + "../" * 20 + "etc/passwd)",
    "![](../assets/none.png)",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "[a](javascript:alert(1))",
    "[b](03-missing.md)",
    "\x0c \x1b[31m \ufffe",
)

#: Names a page, an assessment or an asset may be renamed to (bytes: any file name POSIX allows).
HOSTILE_NAMES = (
    b'03-the rule\'s "page".md',
    b"03-caf\xe9\xff.md",
    b"03-<x>.md",
    b"03-.md",
    b"x.php",
    b"run.sh",
    b"post-test.yml",
    b"03-" + "ü".encode() * 40 + b".md",
    b" .md",
)

OPS = ("value", "key", "delete", "duplicate", "indent", "insert", "rename", "asset")

_KEY_LINE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#][^:#]*):(?:\s+(.*))?$")


@dataclass(frozen=True)
class Mutation:
    """One edit: on file number `file`, `op` at line number `line` (both modulo) with `value`."""

    file: int
    op: str
    line: int
    value: str
    name: bytes = b""


def _files(course: Path) -> list[Path]:
    return sorted(p for p in course.rglob("*") if p.is_file() and p.suffix in (".yaml", ".md"))


def apply_mutation(course: Path, m: Mutation) -> None:
    """Apply `m` to the course tree at `course` (files that vanished are skipped)."""
    files = _files(course)
    if not files:
        return
    path = files[m.file % len(files)]
    if m.op == "rename":
        path.rename(path.parent / os.fsdecode(m.name or b"x y.md"))
        return
    if m.op == "asset":
        assets = path.parent.parent / "assets" if path.parent.name != course.name else course
        assets.mkdir(exist_ok=True)
        name = (m.name or b"a.bin").replace(b"/", b"_")
        (assets / os.fsdecode(name)).write_text(m.value)
        return
    lines = path.read_text(encoding="utf-8").split("\n")
    at = m.line % len(lines)
    one_line = m.value.replace("\n", " ")
    if m.op in ("value", "key"):
        keyed = [i for i, t in enumerate(lines) if _KEY_LINE.match(t)]
        if not keyed:
            return
        at = keyed[m.line % len(keyed)]
        match = _KEY_LINE.match(lines[at])
        assert match is not None
        lead, key, _ = match.groups()
        lines[at] = f"{lead}{key}: {one_line}" if m.op == "value" else f"{lead}{one_line}: x"
    elif m.op == "delete":
        del lines[at]
    elif m.op == "duplicate":
        lines.insert(at, lines[at])
    elif m.op == "indent":
        lines[at] = "  " + lines[at]
    elif m.op == "insert":
        lines.insert(at, m.value)
    path.write_text("\n".join(lines), encoding="utf-8")


def random_mutation(rng: random.Random) -> Mutation:
    """A mutation drawn from `rng` the way the property-based test draws them."""
    value = rng.choice(
        [
            rng.choice(HOSTILE_RAW),
            rng.choice(HOSTILE_BLOCKS),
            json.dumps("".join(chr(rng.randrange(0, 0x3000)) for _ in range(rng.randrange(8)))),
            str(rng.randrange(-(10**6), 10**6)),
        ]
    )
    return Mutation(
        rng.randrange(20), rng.choice(OPS), rng.randrange(200), value, rng.choice(HOSTILE_NAMES)
    )
