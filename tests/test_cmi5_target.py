"""The cmi5 target: cmi5.xml content (cmi5 §13), schema validity, stable AU ids, real builds."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from helpers import IRI, make_course, package_files, runtime_entries, whole
from lxml import etree
from lxml import html as lxml_html

from builder.build import build
from builder.config import BuildConfig
from builder.loader import load_course
from builder.runtime import runtime_files
from builder.targets import TARGETS
from builder.targets.cmi5 import Cmi5
from builder.templates import DEFAULT_TEMPLATES, make_env
from builder.units import plan_units
from builder.validate import validate_package
from builder.xsd import schema_errors

NS = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"
REPO = Path(__file__).resolve().parents[1]


def cmi5_xml(course: Any = None, mode: str = "course") -> etree._Element:
    course = course or make_course()
    units = whole(course) if mode == "course" else plan_units(course, "module")
    out = Cmi5().manifest(course, units, package_files(), make_env([DEFAULT_TEMPLATES]))
    assert [f.arcname for f in out] == ["cmi5.xml"]
    return etree.fromstring(out[0].data)


def test_registered_by_default_with_its_adapter_and_both_unit_modes() -> None:
    assert "cmi5" in BuildConfig().targets
    target = TARGETS["cmi5"]
    assert target.adapter.name == "cmi5.js" and target.adapter.is_file()
    assert target.units == ("course", "module") and target.statements


def test_whole_course_is_one_au_with_explicit_move_on_and_mastery() -> None:
    root = cmi5_xml()
    assert root.find(f"{NS}course").get("id") == IRI
    [au] = root.findall(f"{NS}au")
    assert au.get("id") == f"{IRI}/course"
    # cmi5 §13.1.4: never the NotApplicable default; masteryScore a 0-1 decimal.
    assert (au.get("moveOn"), au.get("masteryScore")) == ("CompletedAndPassed", "0.8")
    assert au.get("launchMethod") == "AnyWindow"
    assert au.find(f"{NS}url").text == "index.html"


def test_unscored_course_must_only_be_completed() -> None:
    [au] = cmi5_xml(make_course(scored=False)).findall(f"{NS}au")
    assert (au.get("moveOn"), au.get("masteryScore")) == ("Completed", None)


def test_titles_descriptions_and_objectives_in_the_course_language() -> None:
    root = cmi5_xml(make_course(language="de-CH", mastery_score=72.5))
    langs = {e.get("lang") for e in root.iter(f"{NS}langstring")}
    assert langs == {"de-CH"}
    [objective] = root.findall(f"{NS}objectives/{NS}objective")
    assert objective.get("id") == f"{IRI}/what-is-trafficking/objective/palermo-elements"
    [au] = root.findall(f"{NS}au")
    assert au.get("masteryScore") == "0.725"
    assert [o.get("idref") for o in au.iter(f"{NS}objective")] == [objective.get("id")]


def test_one_au_per_module_and_the_survey_not_counting(fixtures_dir: Path) -> None:
    course = load_course(REPO / "modules")
    root = cmi5_xml(course, "module")
    aus = root.findall(f"{NS}au")
    assert [a.get("id") for a in aus] == [
        *(f"{course.id}/{m.id}" for m in course.modules),
        f"{course.id}/survey",
    ]
    assert [a.find(f"{NS}url").text for a in aus][:1] == [f"{course.modules[0].id}.html"]
    assert all(a.get("moveOn") == "CompletedAndPassed" for a in aus[:-1])
    # The survey counts for nothing: explicitly NotApplicable (satisfied at registration, §9.6.1).
    assert (aus[-1].get("moveOn"), aus[-1].get("masteryScore")) == ("NotApplicable", None)
    assert len({a.get("id") for a in aus}) == len(aus)


def test_the_follow_up_package_is_a_course_of_its_own(shared_dir: Path) -> None:
    """The follow-up package's `<course id>` is `<course IRI>/follow-up`, never the course's
    (an LMS would take both packages for one course and the follow-up's AU for one of it); its
    AU is `<course IRI>/follow-up/au`, which its launch page knows; valid against the XSD."""
    course = load_course(REPO / "modules")
    follow_up = course.follow_up_unit()
    assert follow_up is not None
    root = cmi5_xml(follow_up)
    [au] = root.findall(f"{NS}au")
    assert root.find(f"{NS}course").get("id") == f"{course.id}/follow-up"
    assert au.get("id") == f"{course.id}/follow-up/au"
    assert cmi5_xml(course).find(f"{NS}course").get("id") == course.id
    assert schema_errors(shared_dir / "schemas", "cmi5", etree.ElementTree(root)) == []


@pytest.mark.parametrize("mode", ["course", "module"])
def test_real_course_cmi5_xml_is_valid_against_the_official_xsd(
    mode: str, shared_dir: Path
) -> None:
    root = cmi5_xml(load_course(REPO / "modules"), mode)
    assert schema_errors(shared_dir / "schemas", "cmi5", etree.ElementTree(root)) == []


def test_fixture_cmi5_xml_is_valid_and_the_check_catches_a_defect(shared_dir: Path) -> None:
    root = cmi5_xml()
    assert schema_errors(shared_dir / "schemas", "cmi5", etree.ElementTree(root)) == []
    root.find(f"{NS}au").set("masteryScore", "80")
    assert schema_errors(shared_dir / "schemas", "cmi5", etree.ElementTree(root))


def test_build_puts_cmi5_xml_at_the_root_and_validates(
    fixtures_dir: Path, shared_dir: Path, tmp_path: Path
) -> None:
    config = BuildConfig(
        source_dir=fixtures_dir / "courses" / "full",
        out_dir=tmp_path,
        targets=("cmi5",),
        units="module",
    )
    [built] = build(config)
    names = runtime_entries(zipfile.ZipFile(built.path))
    assert "cmi5.xml" in names and "runtime/lms/cmi5.js" in names
    report = validate_package(built.path, shared_dir / "schemas")
    assert not report.errors
    again = build(dataclasses.replace(config, out_dir=tmp_path / "again"))
    assert again[0].path.read_bytes() == built.path.read_bytes()


def test_the_cmi5_runtime_ships_with_the_cmi5_target_alone() -> None:
    cmi5 = {f.arcname for f in runtime_files(TARGETS["cmi5"])}
    assert {"runtime/lms/cmi5.js", "runtime/cmi5/tracking.js", "runtime/xapi/queue.js"} <= cmi5
    assert "xapi/profile.jsonld" in cmi5 and "runtime/lms/xapi.js" not in cmi5
    for name in ("xapi", "scorm2004-4th", "web"):
        assert not any(
            a.startswith("runtime/cmi5/")
            for a in (f.arcname for f in runtime_files(TARGETS[name], xapi=True))
        )


@pytest.mark.parametrize(("units", "split"), [("module", "course"), ("course", "modules")])
def test_each_launch_page_knows_its_own_au_id(
    fixtures_dir: Path, tmp_path: Path, units: str, split: str
) -> None:
    """`course.id` + "/" + `course.unit` of each AU's launch page is that AU's id in cmi5.xml:
    the runtime keys what it keeps on it, not on the launch's activityId (docs/lms.md)."""
    config = BuildConfig(
        source_dir=fixtures_dir / "courses" / "full",
        out_dir=tmp_path,
        targets=("cmi5",),
        units=units,  # type: ignore[arg-type]
        split=split,  # type: ignore[arg-type]
    )
    seen = []
    for built in build(config):
        with zipfile.ZipFile(built.path) as zf:
            root = etree.fromstring(zf.read("cmi5.xml"))
            for au in root.findall(f"{NS}au"):
                page = lxml_html.document_fromstring(zf.read(au.find(f"{NS}url").text))
                course = json.loads(page.get_element_by_id("coursepack-data").text)["course"]
                assert f"{course['id']}/{course['unit']}" == au.get("id")
                seen.append(au.get("id"))
    assert len(seen) == len(set(seen)) > 1
