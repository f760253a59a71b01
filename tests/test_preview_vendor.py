"""Where the preview's scorm-again comes from (builder/preview/vendor.py): the pin is the lock
file's, a fetch from a registry on 127.0.0.1 checks its integrity, and a missing runtime says
how to get it."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest
from helpers import loopback_server

from builder.errors import UsageError
from builder.preview import vendor

REPO = Path(__file__).resolve().parents[1]


def test_the_pin_is_the_lock_files() -> None:
    lock = json.loads((REPO / "package-lock.json").read_text())
    entry = lock["packages"]["node_modules/scorm-again"]
    assert (entry["version"], entry["integrity"]) == (vendor.VERSION, vendor.INTEGRITY)
    declared = json.loads((REPO / "package.json").read_text())["dependencies"]
    assert declared["scorm-again"] == vendor.VERSION  # a dependency of coursepack, not of its tests


def _tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


@contextmanager
def registry(root: Path) -> Iterator[str]:
    """A folder served as an npm registry on 127.0.0.1."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    with loopback_server(handler) as url:
        yield url + "/"


def test_fetch_checks_integrity_and_keeps_the_files_in_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = _tarball({"package/dist/scorm12.js": b"// 12", "package/dist/scorm2004.js": b"// 2004",
                     "package/README.md": b"x"})  # fmt: skip
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    tgz = tmp_path / "reg" / "scorm-again" / "-" / f"scorm-again-{vendor.VERSION}.tgz"
    tgz.parent.mkdir(parents=True)
    tgz.write_bytes(data)
    with registry(tmp_path / "reg") as url:
        with pytest.raises(UsageError) as info:
            vendor.fetch_runtime(url)  # the real pin: this tarball is not scorm-again 3.4.3
        assert "did not match the integrity hash of package-lock.json" in str(info.value)
        assert not (tmp_path / "cache").exists()
        dest = vendor.fetch_runtime(url, integrity)
    assert dest == vendor.cache_dir()
    assert sorted(p.name for p in dest.iterdir()) == ["scorm12.js", "scorm2004.js"]
    assert (dest / "scorm2004.js").read_bytes() == b"// 2004"
    assert vendor.find_runtime(tmp_path) in (dest, vendor.find_runtime(REPO))


def test_without_scorm_again_preview_says_what_is_missing_and_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(vendor, "_node_modules", lambda start: [tmp_path / "none"])
    with pytest.raises(UsageError) as info:
        vendor.runtime_dir(tmp_path, fetch=False)
    message = str(info.value)
    assert f"preview needs scorm-again {vendor.VERSION}" in message
    assert f"npm install scorm-again@{vendor.VERSION}" in message
    with registry(tmp_path) as url, pytest.raises(UsageError) as info:
        vendor.fetch_runtime(url)  # the registry has no such tarball
    assert "404" in str(info.value)


def test_the_found_runtime_is_the_pinned_version(tmp_path: Path) -> None:
    found = vendor.find_runtime(REPO)
    assert found is not None, "run npm ci"
    assert json.loads((found.parent / "package.json").read_text())["version"] == vendor.VERSION
