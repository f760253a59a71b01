"""`validate_package` on good packages and on crafted zips with one defect each."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from helpers import make_course, package_files, whole
from lxml import etree

from builder.errors import ValidationFailed
from builder.files import OutputFile
from builder.ids import xml_id
from builder.package import write_zip
from builder.targets import TARGETS
from builder.templates import DEFAULT_TEMPLATES, make_env
from builder.validate import validate_package

SCORM = [t for t in TARGETS.values() if t.standard.startswith("scorm")]
IRI = make_course().id
RES = xml_id(IRI, "resource", "sco")
ITEM = xml_id(IRI, "item", "course")


def package(target: str = "scorm12") -> dict[str, bytes]:
    """Entry name -> bytes of a good package of `target`."""
    files = package_files()
    files += TARGETS[target].manifest(
        make_course(), whole(make_course()), files, make_env([DEFAULT_TEMPLATES])
    )
    return {f.arcname: f.data for f in files}


def write(tmp_path: Path, entries: dict[str, bytes], name: str = "pkg.zip") -> Path:
    """A zip with exactly these entries, in this order (zipfile writes any name, even unsafe)."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname, data in entries.items():
            zf.writestr(zipfile.ZipInfo(arcname), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def line_of(manifest: bytes, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    for number, text in enumerate(manifest.decode().splitlines(), start=1):
        if needle in text:
            return number
    raise AssertionError(f"{needle!r} not in manifest")


def edit(entries: dict[str, bytes], old: str, new: str) -> dict[str, bytes]:
    text = entries["imsmanifest.xml"].decode()
    assert old in text
    return {**entries, "imsmanifest.xml": text.replace(old, new).encode()}


@pytest.mark.parametrize("name", [t.name for t in SCORM])
def test_good_package_zip_and_folder(name: str, tmp_path: Path) -> None:
    files = [OutputFile(k, v) for k, v in package(name).items()]
    zipped = write_zip(files, tmp_path / "good.zip")
    folder = tmp_path / "good"
    for f in files:
        (folder / f.arcname).parent.mkdir(parents=True, exist_ok=True)
        (folder / f.arcname).write_bytes(f.data)
    for path in (zipped, folder):
        report = validate_package(path, None)
        assert (report.standard, report.errors, report.warnings) == (name, (), ())
        report.raise_for_errors()


@pytest.mark.parametrize("name", [t.name for t in SCORM])
def test_good_package_is_schema_valid(name: str, tmp_path: Path, shared_dir: Path) -> None:
    report = validate_package(write(tmp_path, package(name)), shared_dir / "schemas")
    assert report.errors == ()
    assert report.warnings == ()
    expected = 1 if name == "scorm12" else 0  # imsmd cannot be compiled by libxml2: said once
    assert len(report.notes) == expected


def test_no_manifest(tmp_path: Path) -> None:
    entries = {k: v for k, v in package().items() if k not in ("imsmanifest.xml", "index.html")}
    report = validate_package(write(tmp_path, entries), None)
    assert report.standard == "unknown"
    assert report.errors == (
        "pkg.zip: no manifest (imsmanifest.xml, tincan.xml, cmi5.xml) at the package root, "
        "nor the index.html of a web package",
    )


def test_manifest_in_a_subfolder(tmp_path: Path) -> None:
    entries = {f"course/{k}": v for k, v in package().items()}
    report = validate_package(write(tmp_path, entries), None)
    assert report.errors == (
        "course/imsmanifest.xml: manifest found in a subfolder; an LMS only "
        "reads imsmanifest.xml at the package root",
    )


def test_missing_file(tmp_path: Path) -> None:
    entries = package()
    del entries["runtime/main.js"]
    line = line_of(entries["imsmanifest.xml"], 'href="runtime/main.js"')
    report = validate_package(write(tmp_path, entries), None)
    assert report.errors == (
        f"imsmanifest.xml:{line}: resource {RES}: file 'runtime/main.js' not in package",
    )


def test_case_mismatch(tmp_path: Path) -> None:
    entries = package()
    entries["assets/what-is-trafficking/Palermo.png"] = entries.pop(
        "assets/what-is-trafficking/palermo.png"
    )
    line = line_of(entries["imsmanifest.xml"], "palermo.png")
    report = validate_package(write(tmp_path, entries), None)
    assert report.errors == (
        f"imsmanifest.xml:{line}: resource {RES}: file 'assets/what-is-trafficking/palermo.png' "
        "not in package (found 'assets/what-is-trafficking/Palermo.png': case differs)",
    )
    assert report.warnings == (
        "assets/what-is-trafficking/Palermo.png: not listed in any resource of imsmanifest.xml",
    )


def test_bad_identifierref(tmp_path: Path) -> None:
    entries = edit(package(), f'identifierref="{RES}"', 'identifierref="RES-NOWHERE"')
    line = line_of(entries["imsmanifest.xml"], "RES-NOWHERE")
    report = validate_package(write(tmp_path, entries), None)
    assert report.errors == (
        f"imsmanifest.xml:{line}: item {ITEM}: identifierref 'RES-NOWHERE' matches no resource",
    )


def test_duplicate_identifier(tmp_path: Path) -> None:
    entries = edit(package(), f'<item identifier="{ITEM}"', f'<item identifier="{RES}"')
    item, res = (line_of(entries["imsmanifest.xml"], s) for s in ("<item ", "<resource "))
    report = validate_package(write(tmp_path, entries), None)
    assert report.errors == (
        f"imsmanifest.xml:{res}: identifier '{RES}' is used twice (first on line {item})",
    )


def test_scorm12_with_the_2004_spelling(tmp_path: Path) -> None:
    entries = edit(package(), 'adlcp:scormtype="sco"', 'adlcp:scormType="sco"')
    line = line_of(entries["imsmanifest.xml"], "<resource ")
    report = validate_package(write(tmp_path, entries), None)
    assert report.errors == (
        f"imsmanifest.xml:{line}: resource {RES}: adlcp:scormType is the "
        "wrong spelling for scorm12; use adlcp:scormtype",
    )


def test_scorm2004_with_the_12_spelling(tmp_path: Path) -> None:
    entries = edit(package("scorm2004-4th"), 'adlcp:scormType="sco"', 'adlcp:scormtype="sco"')
    line = line_of(entries["imsmanifest.xml"], "<resource ")
    report = validate_package(write(tmp_path, entries), None)
    assert report.errors == (
        f"imsmanifest.xml:{line}: resource {RES}: adlcp:scormtype is the "
        "wrong spelling for scorm2004-4th; use adlcp:scormType",
    )


def test_refused_file_type(tmp_path: Path) -> None:
    entries = {**package(), "api/save.php": b"<?php echo 1;"}
    report = validate_package(write(tmp_path, entries), None)
    assert report.errors == ("api/save.php: file type '.php' is refused by strict LMSs",)
    assert report.warnings == ("api/save.php: not listed in any resource of imsmanifest.xml",)


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../evil.html", "has a '..' segment"),
        ("assets/../../evil.html", "has a '..' segment"),
        ("/etc/evil.html", "is an absolute path"),
        ("C:/evil.html", "is an absolute path"),
        ("assets\\evil.html", "uses backslashes"),
    ],
)
def test_zip_slip_entry(tmp_path: Path, name: str, why: str) -> None:
    report = validate_package(write(tmp_path, {**package(), name: b"x"}), None)
    assert report.errors == (f"{name}: unsafe zip entry name: {why}",)
    assert report.standard == "scorm12"


def test_high_compression_ratio_stops_before_reading(tmp_path: Path) -> None:
    entries = {**package(), "bomb.txt": bytes(8 * 1024 * 1024)}
    del entries["imsmanifest.xml"]  # a read would report this; the ratio check must stop first
    path = write(tmp_path, entries)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("bomb.txt")
    ratio = info.file_size / info.compress_size
    report = validate_package(path, None)
    assert report.standard == "unknown"
    assert report.errors == (
        f"bomb.txt: compression ratio {ratio:.0f}:1 exceeds 100:1 (zip bomb?); not read",
    )


def test_large_but_ordinary_entry_is_fine(tmp_path: Path) -> None:
    # Random-looking data does not compress: a big ratio, not a big size, is the bomb signal.
    data = b"".join(hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(65536))
    entries = {**package(), "assets/what-is-trafficking/palermo.png": data}
    assert validate_package(write(tmp_path, entries), None).errors == ()


def test_not_well_formed_xml(tmp_path: Path) -> None:
    entries = edit(package(), "</organizations>", "</organisations>")
    line = line_of(entries["imsmanifest.xml"], "</organisations>")
    report = validate_package(write(tmp_path, entries), None)
    [error] = report.errors
    assert error.startswith(f"imsmanifest.xml:{line}: not well-formed XML: ")


def test_schema_violation_names_the_line(tmp_path: Path, shared_dir: Path) -> None:
    entries = edit(package("scorm2004-3rd"), 'isvisible="true"', 'isvisible="sometimes"')
    line = line_of(entries["imsmanifest.xml"], "sometimes")
    report = validate_package(write(tmp_path, entries), shared_dir / "schemas")
    [error] = report.errors
    assert error.startswith(f"imsmanifest.xml:{line}: schema: ")
    assert "isvisible" in error


def test_wrong_schemaversion(tmp_path: Path) -> None:
    entries = edit(
        package(), "<schemaversion>1.2</schemaversion>", "<schemaversion>1.2.7</schemaversion>"
    )
    line = line_of(entries["imsmanifest.xml"], "<schemaversion>")
    report = validate_package(write(tmp_path, entries), None)
    assert report.errors == (
        f"imsmanifest.xml:{line}: schemaversion must be exactly '1.2' for "
        "SCORM 1.2 (found '1.2.7')",
    )


def test_tincan_package_launch_is_checked(tmp_path: Path) -> None:
    tincan = (
        b'<?xml version="1.0"?>\n<tincan xmlns="http://projecttincan.com/tincan.xsd">'
        b'<activities><activity id="https://example.org/a" type="http://adlnet.gov/expapi/'
        b'activities/course">\n<name>A</name>\n<launch lang="en">start.html</launch>'
        b"</activity></activities></tincan>\n"
    )
    report = validate_package(write(tmp_path, {"tincan.xml": tincan, "index.html": b""}), None)
    assert report.standard == "xapi"
    assert report.errors == ("tincan.xml:4: launch: file 'start.html' not in package",)


@pytest.mark.parametrize(
    ("manifest", "xml", "expected"),
    [
        # Were "valid xapi package" / "valid cmi5 package": nothing an LMS could launch.
        (
            "tincan.xml",
            b'<?xml version="1.0"?>\n<tincan xmlns="http://projecttincan.com/tincan.xsd">'
            b'<activities><activity id="https://example.org/a">\n<name>A</name></activity>'
            b"</activities></tincan>\n",
            "tincan.xml: expected an activity with a <launch> (the page an LMS opens), found none",
        ),
        (
            "tincan.xml",
            b'<?xml version="1.0"?>\n<tincan xmlns="http://projecttincan.com/tincan.xsd">'
            b'<activities><activity id="https://example.org/a">\n<launch lang="en"> </launch>'
            b"</activity></activities></tincan>\n",
            "tincan.xml:3: launch: expected the path or URL of a page, found nothing",
        ),
        (
            "cmi5.xml",
            b'<?xml version="1.0"?>\n<courseStructure xmlns="https://w3id.org/xapi/profiles/'
            b'cmi5/v1/CourseStructure.xsd"/>\n',
            "cmi5.xml: expected an <au> with a <url> (the page an LMS opens), found none",
        ),
    ],
)
def test_a_manifest_with_nothing_to_launch_is_an_error(
    tmp_path: Path, manifest: str, xml: bytes, expected: str
) -> None:
    report = validate_package(write(tmp_path, {manifest: xml, "index.html": b""}), None)
    assert report.errors == (expected,)


def test_raise_for_errors_lists_every_error(tmp_path: Path) -> None:
    entries = {**package(), "run.sh": b"", "setup.py": b""}
    with pytest.raises(ValidationFailed) as caught:
        validate_package(write(tmp_path, entries), None).raise_for_errors()
    assert caught.value.lines == [
        "run.sh: file type '.sh' is refused by strict LMSs",
        "setup.py: file type '.py' is refused by strict LMSs",
    ]
    assert str(caught.value).endswith("2 problems")


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(b"not a zip")
    report = validate_package(path, None)
    assert report.standard == "unknown"
    [error] = report.errors
    assert error.startswith("broken.zip: cannot read the package: ")


@pytest.mark.parametrize("fixture", ["minimal", "full"])
def test_built_packages_validate(
    fixture: str, tmp_path: Path, fixtures_dir: Path, shared_dir: Path
) -> None:
    build = pytest.importorskip("builder.build", reason="the build's stages are not all in yet")
    from builder.config import BuildConfig

    config = BuildConfig(
        source_dir=fixtures_dir / "courses" / fixture,
        out_dir=tmp_path,
        targets=tuple(t.name for t in SCORM),
    )
    built = build.build(config)
    assert len(built) == len(SCORM)
    for b in built:
        report = validate_package(b.path, shared_dir / "schemas")
        assert report.errors == (), b.path
        assert report.standard == b.target
        assert not [w for w in report.warnings if "not listed" in w]
        with zipfile.ZipFile(b.path) as zf:
            names = zf.namelist()
            root = etree.fromstring(zf.read("imsmanifest.xml"))
        listed = {f.get("href") for f in root.iter("{*}file")}
        assert listed == set(names) - {"imsmanifest.xml"}


@pytest.mark.parametrize("name", [t.name for t in SCORM])
def test_file_names_with_spaces_and_umlauts(name: str, tmp_path: Path) -> None:
    files = [*package_files(), OutputFile("assets/m/Einführung bild.png", b"png")]
    files += TARGETS[name].manifest(
        make_course(), whole(make_course()), files, make_env([DEFAULT_TEMPLATES])
    )
    manifest = files[-1].data.decode()
    assert 'href="assets/m/Einf%C3%BChrung%20bild.png"' in manifest
    report = validate_package(write_zip(files, tmp_path / "pkg.zip"), None)
    assert (report.errors, report.warnings) == ((), ())


def test_dot_segments_in_hrefs_name_the_same_file(tmp_path: Path) -> None:
    entries = edit(package(), 'href="runtime/main.js"', 'href="./runtime/./main.js"')
    report = validate_package(write(tmp_path, entries), None)
    assert (report.errors, report.warnings) == ((), ())
