"""The per-user cache (builder/cache.py) and the minified runtime kept in it (builder/bundle.py)."""

from __future__ import annotations

import os
import sys
import tempfile
import types
from dataclasses import replace
from pathlib import Path

import pytest

import builder.cache
from builder.build import build
from builder.bundle import bundle_runtime
from builder.cache import Cache, default_folder, key
from builder.config import BuildConfig
from builder.runtime import runtime_files
from builder.targets import TARGETS
from tests.helpers import REPO

FIXTURES = REPO / "tests" / "fixtures" / "courses"


def test_keys_differ_whenever_the_parts_do() -> None:
    assert key("ab", "c") != key("a", "bc")
    assert key("a", b"b") == key("a", "b")
    assert key("x") != key("x", "")
    assert len(key("x")) == 64


def test_a_value_is_stored_whole_and_read_back(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    assert cache.get("k") is None
    cache.put("k", b"value")
    assert cache.get("k") == b"value"
    assert [p.name for p in tmp_path.iterdir()] == ["k"]  # nothing written aside is left


def test_a_folder_that_cannot_be_written_is_a_miss_not_an_error(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "gone")
    cache.put("k", b"value")
    assert cache.get("k") is None


def test_the_default_folder_is_private_and_refused_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(builder.cache.tempfile, "gettempdir", lambda: str(tmp_path))
    folder = default_folder()
    assert folder == tmp_path / f"coursepack-cache-{os.getuid()}"
    assert folder.stat().st_mode & 0o777 == 0o700
    folder.chmod(0o777)  # anyone could put a value there: not used
    assert default_folder() is None
    folder.chmod(0o700)
    me = os.getuid()
    other = tmp_path / f"coursepack-cache-{me + 1}"
    monkeypatch.setattr(builder.cache.os, "getuid", lambda: me + 1)
    other.symlink_to(folder)  # a link: not used
    assert default_folder() is None
    other.unlink()
    other.mkdir(mode=0o700)  # private, but owned by someone else (this test's user)
    assert default_folder() is None


def test_the_runtime_comes_from_the_cache_without_loading_the_minifier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = runtime_files(TARGETS["cmi5"], xapi=False)
    fresh = bundle_runtime(files)
    cache = Cache(tmp_path)
    assert bundle_runtime(files, cache) == fresh
    assert len(list(tmp_path.iterdir())) == 2  # the script and the style sheet

    def refuse(mediatype: str, text: str) -> str:
        raise AssertionError("the minifier was called for a kept result")

    monkeypatch.setitem(
        sys.modules, "minify", types.SimpleNamespace(string=refuse, MinifyError=ValueError)
    )
    assert bundle_runtime(files, cache) == fresh
    # A changed runtime is a new key: minified anew (here: refused, which shows it was asked).
    changed = [replace(f, data=f.data + b"\n") if f.arcname.endswith("main.js") else f
               for f in files]  # fmt: skip
    with pytest.raises(AssertionError, match="minifier was called"):
        bundle_runtime(changed, cache)


def test_a_damaged_value_is_minified_again(tmp_path: Path) -> None:
    files = runtime_files(TARGETS["web"], xapi=False)
    cache = Cache(tmp_path)
    fresh = bundle_runtime(files, cache)
    for entry in tmp_path.iterdir():
        entry.write_bytes(b"\xff\xfe not text")
    assert bundle_runtime(files, cache) == fresh


def test_a_build_with_the_cache_writes_the_same_packages(tmp_path: Path) -> None:
    source = FIXTURES / "full"
    plain = build(BuildConfig(source_dir=source, out_dir=tmp_path / "plain"))
    for run in ("first", "second"):  # the first fills the cache, the second reads it
        config = BuildConfig(source_dir=source, out_dir=tmp_path / run, cache_dir=tmp_path / "c")
        (tmp_path / "c").mkdir(exist_ok=True)
        cached = build(config)
        assert [b.path.read_bytes() for b in cached] == [b.path.read_bytes() for b in plain]


def test_compiled_templates_are_kept_in_the_builds_cache_folder_or_nowhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not in Jinja's default folder, which every program of the user's that uses Jinja shares.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    config = BuildConfig(source_dir=FIXTURES / "minimal", out_dir=tmp_path / "out")
    first = build(config)
    assert list((tmp_path / "tmp").iterdir()) == []  # no cache folder: nothing kept anywhere
    cache = tmp_path / "cache"
    cache.mkdir()
    kept = build(replace(config, out_dir=tmp_path / "kept", cache_dir=cache))
    compiled = sorted(p.name for p in cache.glob("jinja-sandboxed-*.cache"))
    assert compiled and list((tmp_path / "tmp").iterdir()) == []
    again = build(replace(config, out_dir=tmp_path / "again", cache_dir=cache))
    assert sorted(p.name for p in cache.glob("jinja-sandboxed-*.cache")) == compiled
    assert [b.path.read_bytes() for b in first] == [b.path.read_bytes() for b in kept]
    assert [b.path.read_bytes() for b in kept] == [b.path.read_bytes() for b in again]
