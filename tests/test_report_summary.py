"""The report's summary in the terminal: its flagged-questions line counts each flag."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from report_cohort import cohort

from builder.cli import main

SOURCE = Path(__file__).resolve().parent.parent / "modules"


def test_the_flagged_questions_are_counted_by_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    statements, _ = cohort(SOURCE, learners=12, seed=5)
    source, out = tmp_path / "statements.json", tmp_path / "report.json"
    source.write_text(json.dumps(statements))
    with pytest.raises(SystemExit) as exc:
        main(["report", "--from", str(source), "--json", str(out)])
    assert exc.value.code in (0, None)
    items = json.loads(out.read_text())["tables"]["items"]
    flags = [r["flags"] for r in items if r["flags"]]
    kinds = Counter(f for each in flags for f in each.split(", "))
    assert len(kinds) >= 2  # the cohort gives more than one kind of flag
    [line] = [x for x in capsys.readouterr().out.splitlines() if x.startswith("questions flagged")]
    counts = ", ".join(f"{n} {k}" for k, n in kinds.most_common())
    assert line == f"questions flagged: {len(flags)} of {len(items)} ({counts})"
