"""Launchable units and LMS profiles: what `--units` and `--lms` accept, refuse and build."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from builder.build import build
from builder.cli import main
from builder.config import BuildConfig
from builder.errors import UsageError
from builder.loader import load_course
from builder.units import SURVEY_UNIT, plan_units

FULL = Path(__file__).resolve().parent / "fixtures" / "courses" / "full"
NS = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1"}


def test_module_units_are_the_modules_in_order_then_the_survey() -> None:
    course = load_course(FULL)
    units = plan_units(course, "module")
    assert [u.id for u in units] == [*(m.id for m in course.modules), SURVEY_UNIT]
    assert [u.launch for u in units] == [f"{m.id}.html" for m in course.modules] + ["survey.html"]
    assert [u.counts for u in units] == [True, True, False]
    assert all(len(u.course.modules) == 1 for u in units[:-1])
    [whole] = plan_units(course, "course")
    assert (whole.launch, whole.course) == ("index.html", course)


def test_scorm12_refuses_module_units_and_says_why(tmp_path: Path) -> None:
    config = BuildConfig(
        source_dir=FULL, out_dir=tmp_path / "o", targets=("scorm12",), units="module"
    )
    with pytest.raises(UsageError, match=r"SCORM 1\.2 has no sequencing") as caught:
        build(config)
    assert "--split modules" in str(caught.value) and "scorm2004-4th" in str(caught.value)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("target", ["web", "xapi"])
def test_module_units_refused_for_a_one_unit_target_say_why_for_it(
    tmp_path: Path, target: str
) -> None:
    config = BuildConfig(source_dir=FULL, out_dir=tmp_path / "o", targets=(target,), units="module")
    with pytest.raises(UsageError) as caught:
        build(config)
    message = str(caught.value)
    # SCORM 1.2's reason is not this target's; the message names what does work.
    assert "SCORM 1.2" not in message
    assert f"{target} offers only --units course" in message
    assert "--split modules" in message
    assert "-t scorm2004-3rd -t scorm2004-4th -t cmi5" in message


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lms", "docebo", "-t", "scorm2004-4th"], "Docebo does not take scorm2004-4th"),
        (["--lms", "moodle", "-t", "xapi"], "build -t scorm12 -t web"),
        (["--lms", "openedx", "-t", "scorm2004-4th", "--units", "module"], "one SCO per package"),
        (["-t", "scorm12", "--units", "module"], "SCORM 1.2 has no sequencing"),
    ],
)
def test_refused_combinations_exit_2_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["build", "--source", str(FULL), "--out", str(tmp_path / "o"), *args])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_profile_builds_what_its_lms_takes(tmp_path: Path) -> None:
    built = build(
        BuildConfig(
            source_dir=FULL,
            out_dir=tmp_path,
            targets=("scorm12", "scorm2004-3rd"),
            lms="docebo",
        )
    )
    assert [b.target for b in built] == ["scorm12", "scorm2004-3rd"]


def test_one_sco_per_module_shares_runtime_and_assets(tmp_path: Path) -> None:
    [built] = build(
        BuildConfig(source_dir=FULL, out_dir=tmp_path, targets=("scorm2004-4th",), units="module")
    )
    with zipfile.ZipFile(built.path) as zf:
        root = etree.fromstring(zf.read("imsmanifest.xml"))
        names = set(zf.namelist())
    resources = root.findall(".//cp:resource", NS)
    scos = [r for r in resources if r.get("href")]
    [shared] = [r for r in resources if not r.get("href")]
    assert [r.get("href") for r in scos] == ["grundlagen.html", "second.html", "survey.html"]
    for sco in scos:
        assert [f.get("href") for f in sco.findall("cp:file", NS)] == [sco.get("href")]
        [dep] = sco.findall("cp:dependency", NS)
        assert dep.get("identifierref") == shared.get("identifier")
    shared_files = {f.get("href") for f in shared.findall("cp:file", NS)}
    assert shared_files == names - {
        "imsmanifest.xml",
        "grundlagen.html",
        "second.html",
        "survey.html",
    }
    # Every page names its place among the units, so Exit can ask the LMS to go on.
    assert "runtime/coursepack.js" in shared_files


REAL = Path(__file__).resolve().parent.parent / "modules"
EYEBROW = "//section[@data-kind='page']//p[@class='cp-eyebrow']"


def _eyebrows(zip_path: Path, launch: str) -> set[str]:
    """The "Module N: title" line over each content page of the unit launched by `launch`."""
    with zipfile.ZipFile(zip_path) as z:
        page = etree.fromstring(z.read(launch), etree.HTMLParser())
    return {" ".join("".join(p.itertext()).split()) for p in page.xpath(EYEBROW)}


@pytest.mark.parametrize(
    ("target", "units", "split"),
    [
        ("cmi5", "module", "course"),
        ("scorm2004-4th", "module", "course"),
        ("cmi5", "course", "course"),
        ("scorm2004-4th", "course", "course"),
        ("scorm12", "course", "modules"),
    ],
)
def test_each_module_keeps_its_number_in_every_unit_mode(
    tmp_path: Path, target: str, units: str, split: str
) -> None:
    """The real course: module 5 is "Module 5" in one AU/SCO per module and in a split too."""
    course = load_course(REAL)
    config = BuildConfig(
        source_dir=REAL, out_dir=tmp_path, targets=(target,), units=units, split=split
    )
    zips = {b.path.name: b.path for b in build(config)}
    slug, version = course.spec.slug, course.spec.version
    for number, module in enumerate(course.modules, start=1):
        want = {f"Module {number}: {module.spec.title}"}
        if split == "modules":
            found = _eyebrows(zips[f"{slug}-{module.id}-{target}-{version}.zip"], "index.html")
        elif units == "module":
            found = _eyebrows(zips[f"{slug}-{target}-{version}.zip"], f"{module.id}.html")
        else:
            found = _eyebrows(zips[f"{slug}-{target}-{version}.zip"], "index.html") & want
        assert found == want, module.id
