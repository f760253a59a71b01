"""The xAPI target: tincan.xml content, schema validity, stable activity id, and a real build."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from helpers import IRI, make_course, package_files, runtime_entries, whole
from lxml import etree

from builder.build import build
from builder.config import BuildConfig, LrsConfig
from builder.files import OutputFile
from builder.package import write_zip
from builder.targets import TARGETS
from builder.targets.xapi import XApi
from builder.templates import DEFAULT_TEMPLATES, make_env
from builder.validate import validate_package
from builder.xsd import schema_errors

TC = "{http://projecttincan.com/tincan.xsd}"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"


def tincan(course: Any = None) -> bytes:
    course = course or make_course()
    out = XApi().manifest(course, whole(course), package_files(), make_env([DEFAULT_TEMPLATES]))
    assert [f.arcname for f in out] == ["tincan.xml"]
    return out[0].data


def parse(course: Any = None) -> etree._Element:
    return etree.fromstring(tincan(course))


def test_registered_after_the_scorm_targets_with_the_xapi_adapter() -> None:
    assert list(TARGETS)[-1] == "xapi"
    assert (TARGETS["xapi"].name, TARGETS["xapi"].standard) == ("xapi", "xapi")
    assert BuildConfig().targets == tuple(TARGETS)


def test_one_activity_identified_by_the_course_iri() -> None:
    root = parse()
    assert root.tag == f"{TC}tincan"
    [activity] = root.findall(f"{TC}activities/{TC}activity")
    assert activity.get("id") == IRI
    assert activity.get("type") == COURSE_TYPE


def test_exactly_one_launch_of_index_html_in_the_course_language() -> None:
    root = parse(make_course(language="de-CH"))
    [launch] = root.iter(f"{TC}launch")
    assert launch.text == "index.html"
    assert launch.get("lang") == "de-CH"


def test_name_and_description_carry_the_course_language_and_text_escaped() -> None:
    course = make_course(language="fr", description="Art. 3 & 4 <Palermo>")
    root = parse(course)
    [name] = root.iter(f"{TC}name")
    [description] = root.iter(f"{TC}description")
    assert (name.text, name.get("lang")) == (course.spec.title, "fr")
    assert (description.text, description.get("lang")) == ("Art. 3 & 4 <Palermo>", "fr")


def test_activity_id_is_stable_across_versions_and_builds() -> None:
    first = tincan(make_course(version="1.0.0"))
    assert tincan(make_course(version="1.0.0")) == first
    second = etree.fromstring(tincan(make_course(version="2.3.0-rc.1")))
    assert second.find(f"{TC}activities/{TC}activity").get("id") == IRI  # type: ignore[union-attr]


def test_a_module_package_has_its_own_activity_below_the_course() -> None:
    course = make_course()
    module = course.modules[0]
    [activity] = parse(course.only(module.id)).iter(f"{TC}activity")
    assert activity.get("id") == f"{IRI}/{module.id}"
    assert activity.get("type") == "http://adlnet.gov/expapi/activities/module"
    assert activity.findtext(f"{TC}name") == f"{course.spec.title}: {module.spec.title}"


def test_tincan_xml_is_valid_against_the_official_xsd(shared_dir: Path) -> None:
    for course in (make_course(), make_course().only("what-is-trafficking")):
        doc = etree.ElementTree(parse(course))
        assert schema_errors(shared_dir / "schemas", "xapi", doc) == []


def test_schema_check_would_catch_a_defect(shared_dir: Path) -> None:
    root = parse()
    activity = root.find(f"{TC}activities/{TC}activity")
    assert activity is not None
    activity.insert(0, etree.Element(f"{TC}launch"))  # launch before name: out of sequence
    errors = schema_errors(shared_dir / "schemas", "xapi", etree.ElementTree(root))
    assert errors and "launch" in errors[0][1]


def test_validate_recognises_and_schema_checks_a_tincan_package(
    shared_dir: Path, tmp_path: Path
) -> None:
    files = package_files()
    files += XApi().manifest(
        make_course(), whole(make_course()), files, make_env([DEFAULT_TEMPLATES])
    )
    good = validate_package(write_zip(files, tmp_path / "good.zip"), shared_dir / "schemas")
    assert (good.standard, good.errors) == ("xapi", ())

    broken = [f for f in files if f.arcname != "tincan.xml"]
    text = tincan().replace(b"<launch", b"<resource>x</resource><launch", 1)
    broken.append(OutputFile("tincan.xml", text))
    report = validate_package(write_zip(broken, tmp_path / "bad.zip"), shared_dir / "schemas")
    assert report.standard == "xapi"
    assert any(e.startswith("tincan.xml:") and "schema" in e for e in report.errors)


def test_a_minimal_course_builds_as_an_xapi_package(
    fixtures_dir: Path, shared_dir: Path, tmp_path: Path
) -> None:
    config = BuildConfig(
        source_dir=fixtures_dir / "courses" / "minimal", out_dir=tmp_path, targets=("xapi",)
    )
    [built] = build(config)
    assert built.path.name == "minimal-xapi-1.0.0.zip"
    with zipfile.ZipFile(built.path) as zf:
        names = runtime_entries(zf)
        root = etree.fromstring(zf.read("tincan.xml"))
    assert {
        "tincan.xml",
        "index.html",
        "runtime/lms/xapi.js",
        "runtime/lms/web.js",
        "runtime/lms/discover.js",
        "runtime/xapi/launch.js",
    } <= names
    assert not names & {"runtime/lms/scorm12.js", "runtime/lms/scorm2004.js", "imsmanifest.xml"}
    [activity] = root.iter(f"{TC}activity")
    assert activity.get("id") == "https://example.org/coursepack/test/minimal"
    report = validate_package(built.path, shared_dir / "schemas")
    assert (report.standard, report.errors, report.warnings) == ("xapi", (), ())
    result = subprocess.run(
        [sys.executable, str(shared_dir / "tools/validate_manifest.py"), str(built.path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "schema-valid" in result.stdout


@pytest.mark.parametrize("split", ["course", "modules"])
def test_builds_are_reproducible(fixtures_dir: Path, tmp_path: Path, split: str) -> None:
    def entries(out: Path) -> list[dict[str, bytes]]:
        config = BuildConfig(
            source_dir=fixtures_dir / "courses" / "full",
            out_dir=out,
            targets=("xapi",),
            split=split,  # type: ignore[arg-type]
        )
        result = []
        for b in build(config):
            with zipfile.ZipFile(b.path) as zf:
                result.append({n: zf.read(n) for n in zf.namelist()})
        return result

    first = entries(tmp_path / "a")
    assert first == entries(tmp_path / "b")
    ids = [etree.fromstring(e["tincan.xml"]).find(f"{TC}activities/{TC}activity") for e in first]
    assert len({a.get("id") for a in ids if a is not None}) == len(first)


def test_scorm_packages_ship_the_xapi_client_only_when_built_with_an_lrs(
    fixtures_dir: Path, tmp_path: Path
) -> None:
    source = fixtures_dir / "courses" / "minimal"
    lrs = LrsConfig("https://lrs.example.org/xapi/", "https://lms.example.org")
    shipped = {}
    for label, config in (
        ("plain", BuildConfig(source_dir=source, out_dir=tmp_path / "a", targets=("scorm12",))),
        (
            "lrs",
            BuildConfig(source_dir=source, out_dir=tmp_path / "b", targets=("scorm12",), lrs=lrs),
        ),
    ):
        [built] = build(config)
        with zipfile.ZipFile(built.path) as zf:
            shipped[label] = {n for n in runtime_entries(zf) if n.startswith("runtime/xapi/")}
    assert shipped["plain"] == set()
    assert {"runtime/xapi/client.js", "runtime/xapi/queue.js", "runtime/xapi/launch.js"} <= shipped[
        "lrs"
    ]
