"""`coursepack report --lrs` against Ralph: paging through `more` and a refused credential."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from lrs import Lrs
from report_cohort import cohort

from builder.cli import main

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"
ENV = "COURSEPACK_TEST_REPORT_AUTH"


def _cli(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exc:
        main(args)
    return int(exc.value.code or 0)


def test_pages_and_refused_credential(
    lrs: Lrs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    statements, truth = cohort(MINIMAL, learners=12, seed=8)
    unique = list({s["id"]: s for s in statements}.values())
    request = urllib.request.Request(
        f"{lrs.endpoint}/statements",
        data=json.dumps(unique).encode(),
        headers={
            "Authorization": lrs.auth,
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30):
        pass
    out = tmp_path / "r.json"
    monkeypatch.setenv(ENV, lrs.auth)
    base = ["report", "--source", str(MINIMAL), "--lrs", lrs.endpoint, "--lrs-auth-env", ENV]
    assert _cli([*base, "--page-size", "3", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["learners"] == len(truth.learners)
    assert report["statements"]["read"] == len(unique), "every page read, each statement once"
    monkeypatch.setenv(ENV, "Basic bm9ib2R5Om5vdGhpbmc=")
    capsys.readouterr()
    assert _cli([*base, "--json", str(tmp_path / "never.json")]) == 1
    err = capsys.readouterr().err
    assert "the LRS answered 401" in err and "--lrs-auth-env" in err and "Traceback" not in err
    assert not (tmp_path / "never.json").exists(), "nothing half-written"
