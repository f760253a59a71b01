"""`coursepack report` on a seeded cohort with known answers (tests/report_cohort.py).

Every figure is checked against a value computed here from the cohort's truth, not from the
report's code: participation, learning on matched items, item difficulty and point-biserial,
option shares, Likert counts, drop-off, the follow-up, duplicates and voided statements.
"""

from __future__ import annotations

import json
import random
import statistics
from pathlib import Path
from typing import Any

import pytest
from report_cohort import ORGS, Truth, cohort

from builder.cli import main
from builder.interactions import describe_question
from builder.loader import load_course

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "modules"
COURSE = load_course(SOURCE)
IRI = COURSE.id.rstrip("/")


def _follow_up() -> dict[str, Any]:
    """The real course's follow-up unit (modules/follow-up.yaml), as the cohort takes it."""
    assert COURSE.follow_up is not None
    return {
        a.kind: [{"id": q.id, "parallel": q.parallel} for q in a.spec.questions]
        for a in (COURSE.follow_up.retention_test, COURSE.follow_up.practice_survey)
    }


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Truth, Path]:
    tmp = tmp_path_factory.mktemp("report")
    follow = _follow_up()
    statements, truth = cohort(SOURCE, learners=160, seed=3, follow_up=follow)
    src = tmp / "statements.json"
    src.write_text(json.dumps(statements))
    out = tmp / "report.json"
    args = ["--json", str(out), "--csv", str(tmp / "csv")]
    code = _cli(["report", "--from", str(src), *args, "--html", str(tmp / "r.html")])
    assert code == 0
    return json.loads(out.read_text()), truth, tmp


def _cli(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exc:
        main(args)
    return int(exc.value.code or 0)


def _rows(report: dict[str, Any], table: str, **where: Any) -> list[dict[str, Any]]:
    return [r for r in report["tables"][table] if all(r[k] == v for k, v in where.items())]


def _one(report: dict[str, Any], table: str, **where: Any) -> dict[str, Any]:
    [row] = _rows(report, table, **where)
    return row


def test_counts_duplicates_voided(run: tuple[dict[str, Any], Truth, Path]) -> None:
    report, truth, _ = run
    assert report["learners"] == len(truth.learners)
    assert report["statements"]["duplicates"] == truth.duplicates
    assert report["statements"]["voided"] == truth.voided > 0
    assert report["comments"] == truth.comments > 0
    assert "My name is" not in json.dumps(report), "free text never goes to JSON"


def test_participation(run: tuple[dict[str, Any], Truth, Path]) -> None:
    report, truth, _ = run
    for group, people in [("all", truth.learners)] + [
        (f"organisation {o}", [x for x in truth.learners if x.org == o]) for o in ORGS
    ]:
        row = _one(report, "participation", group=group, scope="course")
        n, done = len(people), sum(x.completed for x in people)
        assert (row["launched"], row["completed"]) == (n, done)
        assert row["completion"] == pytest.approx(done / n, abs=1e-4)
        every = {m.id for m in COURSE.modules if m.post_test}
        assert row["passed"] == sum(every <= x.passed for x in people)
        # Wilson's interval: the rates p with (p_hat - p)^2 = z^2 p (1 - p) / n, a quadratic.
        z, p_hat = 1.959964, done / n
        a, b, c = 1 + z * z / n, -(2 * p_hat + z * z / n), p_hat * p_hat
        roots = sorted((-b + s * (b * b - 4 * a * c) ** 0.5) / (2 * a) for s in (-1, 1))
        assert (row["completion_low"], row["completion_high"]) == (
            pytest.approx(roots[0], abs=1e-4),
            pytest.approx(roots[1], abs=1e-4),
        )
        assert row["pass_low"] <= row["pass_rate"] <= row["pass_high"]
        assert row["median_minutes"] == pytest.approx(
            statistics.median(x.session_minutes for x in people), abs=0.02
        )
    for m in COURSE.modules:
        row = _one(report, "participation", group="all", scope=m.id)
        started = [x for x in truth.learners if m.id in x.started]
        assert row["launched"] == len(started)
        assert row["completed"] == sum(m.id in x.done for x in started)
        assert row["passed"] == sum(m.id in x.passed for x in started)
        tries = [x.attempts[m.id] for x in started if m.id in x.attempts]
        assert row["attempts"] == pytest.approx(statistics.fmean(tries), abs=1e-4)


def _matched(truth: Truth, pairs: list[tuple[str, str]]) -> list[tuple[float, float]]:
    out = []
    for x in truth.learners:
        both = [(a, b) for a, b in pairs if a in x.answers and b in x.answers]
        if both:
            pre = sum(bool(x.answers[a][0]) for a, _ in both) / len(both)
            post = sum(bool(x.answers[b][0]) for _, b in both) / len(both)
            out.append((pre, post))
    return out


def _pairs(module: Any) -> list[tuple[str, str]]:
    post = {q.id for q in module.post_test.spec.questions}
    return [
        (describe_question(IRI, module.id, "pre-test", q)["iri"],
         describe_question(IRI, module.id, "post-test", module.post_test.spec.questions[
             [p.id for p in module.post_test.spec.questions].index(q.parallel)])["iri"])
        for q in module.pre_test.spec.questions if q.parallel in post
    ]  # fmt: skip


def test_learning_on_matched_items(run: tuple[dict[str, Any], Truth, Path]) -> None:
    report, truth, _ = run
    everything = []
    for m in COURSE.modules:
        pairs = _pairs(m)
        everything += pairs
        row = _one(report, "learning", scope=m.id, basis="matched items")
        values = _matched(truth, pairs)
        pre = statistics.fmean(a for a, _ in values)
        post = statistics.fmean(b for _, b in values)
        assert row["learners"] == len(values)
        assert (row["pre"], row["post"]) == (pytest.approx(pre, abs=1e-4),
                                             pytest.approx(post, abs=1e-4))  # fmt: skip
        assert row["gain"] == pytest.approx((post - pre) / (1 - pre), abs=1e-4)
        assert row["improved"] == pytest.approx(
            sum(b > a for a, b in values) / len(values), abs=1e-4
        )
    row = _one(report, "learning", scope="course", basis="matched items")
    values = _matched(truth, everything)
    pre, post = statistics.fmean(a for a, _ in values), statistics.fmean(b for _, b in values)
    gain = (post - pre) / (1 - pre)
    assert row["gain"] == pytest.approx(gain, abs=1e-4)
    # The interval against a plain percentile bootstrap made here (another generator).
    rng = random.Random(99)
    boots = []
    for _ in range(1000):
        s = rng.choices(values, k=len(values))
        a, b = statistics.fmean(v for v, _ in s), statistics.fmean(v for _, v in s)
        boots.append((b - a) / (1 - a))
    boots.sort()
    assert row["gain_low"] <= gain <= row["gain_high"]
    assert row["gain_low"] == pytest.approx(boots[25], abs=0.03)
    assert row["gain_high"] == pytest.approx(boots[974], abs=0.03)


def test_whole_tests_only_where_every_objective_is_on_both(
    run: tuple[dict[str, Any], Truth, Path],
) -> None:
    report, truth, _ = run
    for m in COURSE.modules:
        pre_obj = {q.objective for q in m.pre_test.spec.questions}
        post_obj = {q.objective for q in m.post_test.spec.questions}
        rows = _rows(report, "learning", scope=m.id, basis="whole tests")
        assert bool(rows) == (pre_obj <= post_obj)
        for row in rows:
            values = [(x.pre[m.id], x.post[m.id]) for x in truth.learners
                      if m.id in x.pre and m.id in x.post]  # fmt: skip
            assert row["learners"] == len(values)
            assert row["post"] == pytest.approx(statistics.fmean(b for _, b in values), abs=1e-4)


def test_items_difficulty_and_point_biserial(run: tuple[dict[str, Any], Truth, Path]) -> None:
    report, truth, _ = run
    m = COURSE.modules[1]
    questions = m.post_test.spec.questions
    iris = [describe_question(IRI, m.id, "post-test", q)["iri"] for q in questions]
    for q, iri in zip(questions, iris, strict=True):
        row = _one(report, "items", module=m.id, test="post-test", question=q.id)
        marks, rest = [], []
        for x in truth.learners:
            if iri in x.answers:
                marks.append(float(x.answers[iri][0]))
                others = [bool(x.answers[o][0]) for o in iris if o != iri and o in x.answers]
                rest.append(sum(others) / len(others))  # the share right of the rest
        assert row["answered"] == len(marks)
        assert row["difficulty"] == pytest.approx(statistics.fmean(marks), abs=1e-4)
        assert row["discrimination"] == pytest.approx(statistics.correlation(marks, rest), abs=1e-4)
        assert ("too easy" in row["flags"]) == (statistics.fmean(marks) > 0.9)


def test_option_shares(run: tuple[dict[str, Any], Truth, Path]) -> None:
    report, truth, _ = run
    m = COURSE.modules[0]
    q = next(q for q in m.post_test.spec.questions if q.type == "single")
    d = describe_question(IRI, m.id, "post-test", q)
    rows = _rows(report, "options", module=m.id, test="post-test", question=q.id)
    answers = [x.answers[d["iri"]][1] for x in truth.learners if d["iri"] in x.answers]
    for c, row in zip(d["choices"], rows, strict=True):
        assert row["option"] == c["text"]
        assert row["share"] == pytest.approx(answers.count(c["id"]) / len(answers), abs=1e-4)
        assert row["right"] == ("yes" if c["id"] in d["correct"]["xapi"][0] else "no")


def test_likert_counts_without_voided_answers(run: tuple[dict[str, Any], Truth, Path]) -> None:
    report, truth, _ = run
    for q in COURSE.survey.spec.questions:
        d = describe_question(IRI, "", "survey", q)
        rows = _rows(report, "likert", survey="survey", question=q.id)
        if d["type"] != "likert":  # the open question is counted, never tabled
            assert rows == []
            continue
        for point, row in zip(d["scale"], rows, strict=True):
            expected = sum(
                1 for x in truth.learners if x.answers.get(d["iri"], (0, ""))[1] == point["id"]
            )
            assert (row["answer"], row["learners"]) == (point["text"], expected)


def test_dropoff(run: tuple[dict[str, Any], Truth, Path]) -> None:
    report, truth, _ = run
    order = [f"{IRI}/{m.id}/{p.id}" for m in COURSE.modules for p in m.pages]
    rows = report["tables"]["dropoff"]
    assert len(rows) == len(order)
    for i, (iri, row) in enumerate(zip(order, rows, strict=True)):
        assert row["reached"] == sum(iri in x.pages for x in truth.learners)
        stopped = [x for x in truth.learners if not x.completed and x.pages]
        assert row["stopped"] == sum(max(order.index(p) for p in x.pages) == i for x in stopped)
    assert sum(r["stopped"] for r in rows) == sum(not x.completed for x in truth.learners)


def test_follow_up(run: tuple[dict[str, Any], Truth, Path]) -> None:
    report, truth, _ = run
    rows = {r["measure"].split(":")[0]: r for r in report["tables"]["follow_up"]}
    took = [x for x in truth.learners if x.retention is not None]
    row = rows["retention test score against first post-test scores"]
    assert row["learners"] == len(took) > 0
    assert row["follow_up"] == pytest.approx(statistics.fmean(x.retention for x in took), abs=1e-4)
    practice = f"{IRI}/follow-up/practice-survey/changed-practice"
    said = [x.answers[practice][1] for x in truth.learners if practice in x.answers]
    row = rows["reporting changed practice (agree or strongly agree)"]
    assert row["learners"] == len(said)
    assert row["follow_up"] == pytest.approx(sum(a in "de" for a in said) / len(said), abs=1e-4)


def test_same_report_in_any_order_and_as_json_lines(
    run: tuple[dict[str, Any], Truth, Path],
) -> None:
    """Shuffled (voids before and after what they void), as JSON lines: the same tables."""
    report, _, tmp = run
    statements = json.loads((tmp / "statements.json").read_text())
    random.Random(5).shuffle(statements)
    lines = tmp / "shuffled.jsonl"
    lines.write_text("".join(json.dumps(s) + "\n" for s in statements))
    out = tmp / "shuffled.json"
    args = ["report", "--from", str(lines)]
    assert _cli([*args, "--json", str(out)]) == 0
    again = json.loads(out.read_text())
    assert again["tables"] == report["tables"]


def test_html_and_csv_written(run: tuple[dict[str, Any], Truth, Path]) -> None:
    report, _, tmp = run
    html = (tmp / "r.html").read_text()
    assert "<svg" in html and "http" not in html.split("<body>")[0].replace('content="width', ""), (
        "self-contained: nothing loaded from the network"
    )
    assert "My name is" not in html, "comments only with --include-comments"
    names = {p.stem for p in (tmp / "csv").glob("*.csv")}
    assert names == set(report["tables"])
    header = (tmp / "csv" / "learning.csv").read_text().splitlines()[0]
    assert header.startswith("scope,scope_title,basis,learners,pre,post,gain,gain_low,gain_high")


def test_bad_input_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\nnot json\n')
    assert _cli(["report", "--from", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2: expected a JSON statement" in err and "Traceback" not in err
    assert _cli(["report"]) == 2
    assert "expected exactly one of --lrs URL or --from FILE" in capsys.readouterr().err
    assert _cli(["report", "--lrs", "http://127.0.0.1:9/x", "--lrs-auth-env", "NOPE_UNSET"]) == 2
    assert "NOPE_UNSET" in capsys.readouterr().err


def test_build_warns_when_the_pre_test_cannot_be_matched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pre-test with no parallel question and no objective on the post-test: a build warning."""
    import shutil

    course = tmp_path / "minimal"
    shutil.copytree(ROOT / "tests" / "fixtures" / "courses" / "minimal", course)
    assert _cli(["check", "--source", str(course), "-t", "web"]) == 0
    assert "cannot be matched" not in capsys.readouterr().err
    pre = next(course.glob("*/assessments/pre-test.yaml"))
    pre.write_text(pre.read_text().replace("objective: apply", "objective: spare"))
    module = course / "01-basics" / "module.yaml"
    module.write_text(module.read_text() + "  - id: spare\n    text: Only the pre-test asks.\n")
    assert _cli(["check", "--source", str(course), "-t", "web"]) == 0
    err = capsys.readouterr().err
    assert "warning: module basics: the pre-test cannot be matched to its post-test" in err


def test_filters(run: tuple[dict[str, Any], Truth, Path]) -> None:
    """--version, --since/--until and the course IRI select statements; nothing else counts."""
    _, truth, tmp = run
    src, out = str(tmp / "statements.json"), tmp / "filtered.json"
    base = ["report", "--from", src, "--json", str(out)]
    assert _cli([*base, "--version", "0.0.1"]) == 0
    assert json.loads(out.read_text())["learners"] == 0
    assert _cli([*base, "--since", "2030-01-01"]) == 0
    assert json.loads(out.read_text())["learners"] == 0
    assert _cli([*base, "--until", "2030-01-01", "--version", COURSE.spec.version]) == 0
    assert json.loads(out.read_text())["learners"] == len(truth.learners)
    other = ["--source", str(ROOT / "tests" / "fixtures" / "courses" / "minimal")]
    assert _cli([*base, *other]) == 0
    assert json.loads(out.read_text())["learners"] == 0, "another course's statements"
    assert _cli([*base, "--since", "yesterday"]) == 2


def test_score_without_scaled_uses_raw_min_max() -> None:
    from builder.report.aggregate import scaled_score

    assert scaled_score({"raw": 3, "min": 1, "max": 5}) == 0.5
    assert scaled_score({"scaled": 0.25, "raw": 3, "max": 5}) == 0.25
    assert scaled_score({"raw": 3, "max": 3, "min": 3}) is None
    assert scaled_score(None) is None


def test_a_cmi5_post_test_result_is_completed_with_success() -> None:
    """Under cmi5 the AU reports a post-test attempt as `completed` with score and success (an
    allowed statement, docs/cmi5.md): it counts as the xapi target's passed/failed; a
    `completed` about the post-test without success is no attempt."""
    from builder.report.aggregate import Aggregator, Filters
    from builder.report.items import course_index
    from builder.vocabulary import load_profile

    index = course_index(load_course(ROOT / "modules"))
    module = index.modules[0]
    fold = Aggregator(index, load_profile(), Filters())
    verbs = "http://adlnet.gov/expapi/verbs/"

    def send(n: int, kind: str, scaled: float, **result: Any) -> None:
        fold.add({
            "id": f"00000000-0000-4000-8000-{n:012d}",
            "actor": {"account": {"homePage": "https://lms.example.org", "name": "l1"}},
            "verb": {"id": verbs + "completed"},
            "object": {"id": f"{index.iri}/{module}/{kind}"},
            "result": {"score": {"scaled": scaled}, "completion": True, **result},
            "timestamp": f"2026-01-01T10:0{n}:00Z",
        })  # fmt: skip

    send(1, "pre-test", 0.25)
    send(2, "post-test", 0.5, success=False)
    send(3, "post-test", 0.9)  # no success: not an attempt
    send(4, "post-test", 1.0, success=True)
    [learner] = fold.learners.values()
    assert learner.pre[module][1] == 0.25
    post = learner.post[module]
    assert (post.attempts, post.passed, post.first and post.first[1]) == (2, True, 0.5)


def test_statements_not_used_are_counted_by_reason_and_explained(
    run: tuple[dict[str, Any], Truth, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A manager given the wrong export sees why the report is empty, on screen and in HTML."""
    report, _, tmp = run
    assert not any(report["statements"].get(k) for k in ("about other activities", "without id"))
    ours = json.loads((tmp / "statements.json").read_text())
    other = {**ours[0], "id": "6a1e4c41-1f7c-4b47-9c4c-1d2b3a4c5d6e",
             "object": {"id": "https://other.example.org/course"}, "context": {}}  # fmt: skip
    src = tmp / "mixed.json"
    src.write_text(json.dumps([other, {"verb": {}}]))
    page = tmp / "mixed.html"
    capsys.readouterr()
    assert _cli(["report", "--from", str(src), "--html", str(page)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "not used: 1 about other activities, 1 without an id" in out
    assert any(line.startswith("note: no statement read is about this course") for line in out)
    assert "Records read but not used: 1 about other activities, 1 without an id." in (
        page.read_text()
    )
    # The cohort's own statements: all about the course; the version filter names its reason.
    assert _cli(["report", "--from", str(tmp / "statements.json"), "--version", "0.0.1"]) == 0
    out = capsys.readouterr().out
    assert "of other versions" in out and "note: no statement read" in out
