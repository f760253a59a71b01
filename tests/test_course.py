"""The shipped course (`modules/`): complete, cited, assessable and unambiguous.

These checks read the sources the way a reviewer would: every module has its objectives assessed,
every figure carries a citation, every cited code is on the module's references page.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from builder.build import build
from builder.config import BuildConfig
from builder.loader import FRONT_MATTER, load_course
from builder.model import Course, Module
from builder.questions import (
    FillIn,
    Likert,
    Matching,
    MultipleChoice,
    Numeric,
    Scenario,
    Sequencing,
    SingleChoice,
    TrueFalse,
)
from builder.targets import TARGETS
from builder.validate import validate_package

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "modules"
CITATION = re.compile(r"\[R\d+[a-z]?\]")
FIGURE = re.compile(r"\d")
VAGUE = re.compile(r"\b(all|none) of the (above|these)\b", re.I)


@cache
def course() -> Course:
    return load_course(MODULES)


def module_ids() -> list[str]:
    return [m.id for m in course().modules]


def module(module_id: str) -> Module:
    return next(m for m in course().modules if m.id == module_id)


def blocks(markdown: str) -> list[str]:
    """The text of every paragraph, list item and table row of a Markdown body (not headings)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    out: list[str] = []
    depth_heading = False  # headings and table header rows label; they state no figures
    row: list[str] = []
    in_row = False
    for tok in tokens:
        if tok.type in ("heading_open", "thead_open"):
            depth_heading = True
        elif tok.type in ("heading_close", "thead_close"):
            depth_heading = False
        elif tok.type == "tr_open":
            in_row, row = True, []
        elif tok.type == "tr_close":
            in_row = False
            if not depth_heading:
                out.append(" ".join(row))
        elif tok.type == "inline" and not depth_heading:
            (row if in_row else out).append(tok.content)
    return out


def body_of(path: str) -> str:
    text = (ROOT / path).read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    assert match, path
    return text[match.end() :]


def test_the_course_has_eight_modules_with_metadata() -> None:
    c = course()
    assert len(c.modules) == 8
    assert c.spec.credit_hours and c.spec.credit_hours > 0
    assert c.spec.duration_minutes == sum(m.spec.minutes for m in c.modules)
    assert c.survey is not None
    # The reaction survey keeps its Likert items and asks one open question (issue 11).
    types = [q.type for q in c.survey.spec.questions]
    assert types.count("text") == 1 and types.count("likert") == len(types) - 1 >= 5
    assert len(c.glossary) >= 10


@pytest.mark.parametrize("module_id", module_ids())
def test_module_shape(module_id: str) -> None:
    m = module(module_id)
    assert 4 <= len(m.pages) <= 8
    assert m.pages[-1].title == "References"
    assert m.pre_test is not None and len(m.pre_test.spec.questions) == 5
    assert m.post_test is not None and len(m.post_test.spec.questions) >= 10
    assert m.post_test.spec.draw == 8
    assert m.checks is not None
    assert any(isinstance(q, Scenario) for q in m.checks.spec.questions)


@pytest.mark.parametrize("module_id", module_ids())
def test_every_objective_is_assessed_in_the_post_test_bank(module_id: str) -> None:
    m = module(module_id)
    assert m.post_test is not None
    assessed = {q.objective for q in m.post_test.spec.questions}
    objectives = {o.id for o in m.spec.objectives}
    assert objectives - assessed == set()
    for a in (m.pre_test, m.checks, m.post_test):
        assert a is not None
        assert {q.objective for q in a.spec.questions} <= objectives


@pytest.mark.parametrize("module_id", module_ids())
def test_every_pre_test_item_has_its_parallel_post_test_item(module_id: str) -> None:
    """Gain can be computed per objective and on matched items (Kirkpatrick level 2)."""
    m = module(module_id)
    assert m.pre_test is not None and m.post_test is not None
    post = {q.id: q for q in m.post_test.spec.questions}
    named = [q.parallel for q in m.pre_test.spec.questions]
    assert len(set(named)) == len(named), f"{module_id}: a post-test item is paired twice"
    for q in m.pre_test.spec.questions:
        assert q.parallel in post, f"{q.id}: no parallel post-test item"
        twin = post[q.parallel]
        assert twin.objective == q.objective, f"{q.id} and {twin.id} assess different objectives"
        assert type(twin) is type(q), f"{q.id} and {twin.id}: a different format changes difficulty"
        assert twin.prompt != q.prompt, f"{q.id} and {twin.id}: same wording"


@pytest.mark.parametrize("module_id", module_ids())
def test_every_scenario_branches(module_id: str) -> None:
    m = module(module_id)
    assert m.checks is not None
    for q in m.checks.spec.questions:
        if isinstance(q, Scenario):
            first = q.steps[0]
            targets = {o.next for o in first.options}
            assert len(targets) >= 2, f"{q.id}: the first step's options all lead the same way"


@pytest.mark.parametrize("module_id", module_ids())
def test_every_question_explains_itself_with_a_cited_source(module_id: str) -> None:
    m = module(module_id)
    for a in (m.pre_test, m.checks, m.post_test):
        assert a is not None
        for q in a.spec.questions:
            assert q.explanation and len(q.explanation) > 20, q.id
            assert q.source and CITATION.search(q.source), f"{q.id}: source has no [R] code"


@pytest.mark.parametrize("module_id", module_ids())
def test_no_answer_is_ambiguous(module_id: str) -> None:
    m = module(module_id)
    for a in (m.pre_test, m.checks, m.post_test):
        assert a is not None
        for q in a.spec.questions:
            assert not VAGUE.search(q.prompt), q.id
            if isinstance(q, SingleChoice | MultipleChoice):
                texts = [c.text.strip().lower() for c in q.choices]
                assert len(set(texts)) == len(texts), f"{q.id}: two choices read the same"
                assert not any(VAGUE.search(t) for t in texts), f"{q.id}: all/none of the above"
                correct = [c for c in q.choices if c.correct]
                assert len(correct) == 1 if isinstance(q, SingleChoice) else len(correct) >= 1
                assert len(correct) < len(q.choices), f"{q.id}: every choice is correct"
            elif isinstance(q, FillIn):
                answers = [x.strip().lower() for x in q.answers]
                assert all(answers), q.id
                assert len(set(answers)) == len(answers), f"{q.id}: an answer is listed twice"
            elif isinstance(q, Numeric):
                assert q.answer is not None or (q.range and q.range[0] < q.range[1]), q.id
            elif isinstance(q, Matching):
                assert len({p.target for p in q.pairs}) == len(q.pairs), f"{q.id}: same target"
            elif isinstance(q, Sequencing):
                assert len(set(q.steps)) == len(q.steps), q.id
            else:
                assert isinstance(q, TrueFalse | Scenario | Likert), q.id


@pytest.mark.parametrize("module_id", module_ids())
def test_every_page_cites_and_every_figure_has_a_citation(module_id: str) -> None:
    m = module(module_id)
    *content, references = m.pages
    for page in content:
        body = body_of(page.source)
        assert CITATION.search(body), f"{page.source}: cites no source"
        for block in blocks(body):
            if FIGURE.search(block):
                assert CITATION.search(block), f"{page.source}: figure without citation: {block!r}"
    assert CITATION.search(body_of(references.source))


@pytest.mark.parametrize("module_id", module_ids())
def test_every_cited_code_is_on_the_references_page(module_id: str) -> None:
    m = module(module_id)
    listed = set(CITATION.findall(body_of(m.pages[-1].source)))
    used: set[str] = set()
    for page in m.pages[:-1]:
        used |= set(CITATION.findall(body_of(page.source)))
    for a in (m.pre_test, m.checks, m.post_test):
        assert a is not None
        used |= set(CITATION.findall((ROOT / a.source).read_text(encoding="utf-8")))
    assert used - listed == set(), f"cited but not listed on {m.pages[-1].source}"
    for line in body_of(m.pages[-1].source).splitlines():
        if CITATION.match(line.lstrip("- ")):
            assert "http" in line, f"reference without an address: {line}"


@pytest.fixture(scope="module")
def split_packages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every module of the course as its own package, for every target."""
    out = tmp_path_factory.mktemp("course-split")
    built = build(BuildConfig(source_dir=MODULES, out_dir=out, split="modules"))
    return [b.path for b in built]


def test_every_module_builds_for_every_target(split_packages: list[Path]) -> None:
    names = {p.name for p in split_packages}
    version = course().spec.version
    for m in course().modules:
        for target in TARGETS:
            assert f"htp-prosecution-{m.id}-{target}-{version}.zip" in names


def test_every_module_package_validates_against_the_official_schemas(
    split_packages: list[Path], shared_dir: Path
) -> None:
    for package in split_packages:
        if "-web-" in package.name:
            continue  # plain web has no manifest for validate to check
        report = validate_package(package, shared_dir / "schemas")
        assert report.errors == (), package.name


def test_the_whole_course_validates_for_every_target(tmp_path: Path, shared_dir: Path) -> None:
    for b in build(BuildConfig(source_dir=MODULES, out_dir=tmp_path)):
        if b.target == "web":
            continue  # plain web has no manifest for validate to check
        report = validate_package(b.path, shared_dir / "schemas")
        assert report.errors == (), b.path.name
        if True:
            tool = shared_dir / "tools" / "validate_manifest.py"
            run = subprocess.run(
                [sys.executable, str(tool), str(b.path)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert run.returncode == 0, run.stdout + run.stderr


def test_the_course_as_one_sco_per_module_validates(tmp_path: Path, shared_dir: Path) -> None:
    """`--units module`: one SCORM 2004 package, a SCO per module and the survey's."""
    config = BuildConfig(
        source_dir=MODULES,
        out_dir=tmp_path,
        targets=("scorm2004-3rd", "scorm2004-4th"),
        units="module",
    )
    tool = shared_dir / "tools" / "validate_manifest.py"
    for b in build(config):
        assert validate_package(b.path, shared_dir / "schemas").errors == (), b.path.name
        run = subprocess.run(
            [sys.executable, str(tool), str(b.path)], capture_output=True, text=True, check=False
        )
        assert run.returncode == 0, run.stdout + run.stderr
        with zipfile.ZipFile(b.path) as zf:
            launches = sorted(
                n
                for n in zf.namelist()
                if n.endswith(".html") and n not in ("glossary.html", "bench-cards.html")
            )
        if "-follow-up-" in b.path.name:
            assert launches == ["index.html"], "the follow-up unit is one SCO of its own"
            continue
        assert launches == sorted([*(f"{m}.html" for m in module_ids()), "survey.html"])
