"""`report` when the dates take in a cohort's follow-up unit and not its course: learners seen only
in the follow-up are counted there, not as having started the course."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from report_cohort import START, cohort

from builder.cli import main
from builder.loader import load_course

SOURCE = Path(__file__).resolve().parents[1] / "modules"


def test_learners_seen_only_in_the_follow_up_did_not_start_the_course(tmp_path: Path) -> None:
    course = load_course(SOURCE)
    assert course.follow_up is not None
    follow = {
        a.kind: [{"id": q.id, "parallel": q.parallel} for q in a.spec.questions]
        for a in (course.follow_up.retention_test, course.follow_up.practice_survey)
    }
    statements, truth = cohort(SOURCE, learners=40, seed=5, follow_up=follow)
    took = [x for x in truth.learners if x.retention is not None]
    src, out = tmp_path / "statements.json", tmp_path / "report.json"
    src.write_text(json.dumps(statements))
    # The course is taken within 20 days of START, the follow-up 90 days after it.
    since = (START + timedelta(days=60)).date().isoformat()
    with pytest.raises(SystemExit) as exc:
        main(["report", "--from", str(src), "--since", since, "--json", str(out)])
    assert exc.value.code == 0
    report = json.loads(out.read_text())
    assert report["learners"] == len(took) > 0
    [course_row] = [
        r
        for r in report["tables"]["participation"]
        if r["group"] == "all" and r["scope"] == "course"
    ]
    assert (course_row["launched"], course_row["completed"], course_row["completion"]) == (
        0,
        0,
        None,
    )
    assert all(
        r["reached"] == 0 and r["reached_share"] is None for r in report["tables"]["dropoff"]
    )
    # The follow-up's own figures count them (the retention test against the post-test cannot:
    # their post-tests are outside the dates).
    rows = {r["measure"].split(":")[0]: r for r in report["tables"]["follow_up"]}
    assert rows["reporting changed practice (agree or strongly agree)"]["learners"] == len(took)
    assert rows["retention test score against first post-test scores"]["learners"] == 0
