"""Packaging: reproducible, sorted, fixed metadata, atomic."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest
from test_loader import FIXTURES

from builder.build import build
from builder.config import BuildConfig
from builder.errors import PackageError
from builder.files import OutputFile
from builder.package import write_zip
from builder.targets import TARGETS


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("fixture", ["minimal", "full"])
def test_two_builds_give_identical_zips(fixture: str, tmp_path: Path) -> None:
    source = FIXTURES / "courses" / fixture
    first = build(BuildConfig(source_dir=source, out_dir=tmp_path / "a"))
    second = build(BuildConfig(source_dir=source, out_dir=tmp_path / "b"))
    assert [b.path.name for b in first] == [b.path.name for b in second]
    assert len(first) == len(TARGETS)
    for a, b in zip(first, second, strict=True):
        assert sha256(a.path) == sha256(b.path), a.path.name


def test_entries_are_sorted_with_fixed_metadata(tmp_path: Path) -> None:
    [built] = build(
        BuildConfig(
            source_dir=FIXTURES / "courses" / "full", out_dir=tmp_path, targets=("scorm12",)
        )
    )
    with zipfile.ZipFile(built.path) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names)
    assert "imsmanifest.xml" in names and "index.html" in names
    assert "assets/grundlagen/img/dot.png" in names
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.external_attr >> 16 == 0o100644
        assert info.create_system == 3
        assert info.compress_type == zipfile.ZIP_DEFLATED


def test_source_date_epoch_sets_the_entry_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    dest = write_zip([OutputFile("a.txt", b"a")], tmp_path / "x.zip")
    with zipfile.ZipFile(dest) as zf:
        assert zf.infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)


@pytest.mark.parametrize("epoch", ["4354819200", "99999999999999999999", "abc"])
def test_source_date_epoch_a_zip_cannot_hold_is_a_message(
    epoch: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)  # 4354819200 is 2108-01-01, after DOS time
    with pytest.raises(PackageError) as info:
        write_zip([OutputFile("a.txt", b"a")], tmp_path / "x.zip")
    assert str(info.value) == (
        "SOURCE_DATE_EPOCH: expected whole seconds up to 4354819199 (2107-12-31, the latest "
        f"time a zip entry can hold), found '{epoch}'"
    )
    assert list(tmp_path.iterdir()) == []


def test_split_modules_gives_one_package_per_module(tmp_path: Path) -> None:
    built = build(
        BuildConfig(
            source_dir=FIXTURES / "courses" / "full",
            out_dir=tmp_path,
            targets=("web",),
            split="modules",
        )
    )
    assert [b.path.name for b in built] == [
        "full-course-grundlagen-web-2.1.0.zip",
        "full-course-second-web-2.1.0.zip",
    ]
    with zipfile.ZipFile(built[1].path) as zf:
        assert not any(n.startswith("assets/grundlagen/") for n in zf.namelist())


def test_duplicate_entry_is_refused_and_nothing_is_left(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match=r"the same file twice in the package: a\.txt"):
        write_zip([OutputFile("a.txt", b"1"), OutputFile("a.txt", b"2")], tmp_path / "x.zip")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fd: int, mode: str) -> None:
            self.file = real_fdopen(fd, mode)

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def write(self, data: bytes) -> int:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fdopen", FullDisk)
    with pytest.raises(PackageError, match="No space left on device"):
        write_zip([OutputFile("a.txt", b"1")], tmp_path / "x.zip")
    assert list(tmp_path.iterdir()) == []


def test_a_module_package_keeps_only_the_text_of_links_to_other_modules(tmp_path: Path) -> None:
    built = build(
        BuildConfig(
            source_dir=FIXTURES / "courses" / "full",
            out_dir=tmp_path,
            targets=("web",),
            split="modules",
        )
    )
    with zipfile.ZipFile(built[1].path) as zf:
        second = zf.read("index.html").decode()
    with zipfile.ZipFile(built[0].path) as zf:
        first = zf.read("index.html").decode()
    # Module two's page links back to module one, which its package does not hold.
    assert "Back to the start." in second
    assert 'href="#page-grundlagen/intro"' not in second
    # Links inside the package stay links.
    assert 'href="#page-grundlagen/case"' in first


def test_an_entry_that_would_compress_like_a_bomb_is_stored(tmp_path: Path) -> None:
    page = b"All work and no play. " * 200_000  # 4.4 MB that deflate packs over 1000:1
    path = write_zip(
        [OutputFile("index.html", page), OutputFile("a.js", b"x" * 10)], tmp_path / "p.zip"
    )
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("index.html").compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("a.js").compress_type == zipfile.ZIP_DEFLATED
        assert zf.read("index.html") == page


def test_the_build_refuses_what_validate_refuses_before_writing(tmp_path: Path) -> None:
    import shutil

    from builder.errors import CourseError

    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "courses" / "minimal", course)
    (course / "01-basics" / "assets").mkdir()
    (course / "01-basics" / "assets" / "lrs.json").write_text('{"auth": "s3cret"}\n')
    with pytest.raises(CourseError) as info:
        build(BuildConfig(source_dir=course, out_dir=tmp_path / "out", targets=("web", "xapi")))
    assert [str(p) for p in info.value.problems] == [
        f"minimal-{t}-1.0.0.zip: assets/basics/lrs.json:1: carries an LRS credential "
        '("auth" with a value); anyone with the package can read it'
        for t in ("web", "xapi")
    ]
    assert not (tmp_path / "out").exists()


def test_the_zip_reads_back_with_names_sizes_and_utf8_flag(tmp_path: Path) -> None:
    files = [
        OutputFile("b/é.txt", "né".encode()),
        OutputFile("a.txt", b"a" * 1000),
        OutputFile("empty", b""),
    ]
    path = write_zip(files, tmp_path / "p.zip")
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        infos = zf.infolist()
        assert [i.filename for i in infos] == ["a.txt", "b/é.txt", "empty"]
        assert [i.flag_bits & 0x800 for i in infos] == [0, 0x800, 0]
        assert zf.read("b/é.txt") == "né".encode()
        assert infos[0].compress_size < 100 < infos[0].file_size


def test_a_build_deflates_each_distinct_file_once() -> None:
    from builder.package import Packer, zip_bytes

    packer = Packer()
    shared = OutputFile("runtime.js", b"let x = 1;\n" * 500)
    first = zip_bytes([shared, OutputFile("index.html", b"one")], "a.zip", packer)
    second = zip_bytes([shared, OutputFile("index.html", b"two")], "b.zip", packer)
    alone = zip_bytes([shared, OutputFile("index.html", b"two")], "b.zip")
    assert second == alone, "packing from the cache gives the same bytes"
    assert first != second
    assert packer.pack(shared.data) is packer.pack(b"let x = 1;\n" * 500)


def test_a_shared_beginning_deflated_once_gives_the_same_zip() -> None:
    from builder.package import Packer, zip_bytes

    shell = b"".join(b"<p>page %d of the course</p>\n" % i for i in range(4000))  # ~100 KB
    pages = [shell + b"<script>" + data + b"</script>" for data in (b"{1}", b"{22}")]
    packer = Packer()
    shared = [
        zip_bytes([OutputFile("index.html", page, len(shell))], "a.zip", packer) for page in pages
    ]
    alone = [zip_bytes([OutputFile("index.html", page)], "a.zip") for page in pages]
    assert shared == alone
    for zipped, page in zip(shared, pages, strict=True):
        with zipfile.ZipFile(io.BytesIO(zipped)) as zf:
            assert zf.testzip() is None
            assert zf.read("index.html") == page
