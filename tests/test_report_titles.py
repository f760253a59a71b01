"""The report names modules as learners meet them ("Module 3: title") and machines read ids.

The charts and tables of the HTML label each module by its number and title from the course;
CSV and JSON keep the module id where they had it and gain a `…_title` column beside it. A title
with markup in it is text in the HTML and its SVG, never markup.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html
from report_cohort import cohort

from builder.cli import main
from builder.loader import load_course

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "modules"
MINIMAL = ROOT / "tests" / "fixtures" / "courses" / "minimal"
#: Chart label parts are joined with " · "; a label too long is cut with "…".
SEP = " · "


def _report(source: Path, tmp: Path, learners: int) -> tuple[dict[str, Any], Path]:
    statements, _ = cohort(source, learners=learners, seed=5)
    (tmp / "s.json").write_text(json.dumps(statements))
    args = ["report", "--source", str(source), "--from", str(tmp / "s.json")]
    outs = ["--json", str(tmp / "r.json"), "--csv", str(tmp / "csv"), "--html", str(tmp / "r.html")]
    with pytest.raises(SystemExit) as exc:
        main([*args, *outs])
    assert exc.value.code == 0
    return json.loads((tmp / "r.json").read_text()), tmp


def _chart_labels(page: Path, table: str) -> list[str]:
    """The bar labels of one chart of the HTML report, as a browser reads them."""
    doc = lxml_html.fromstring(page.read_text(encoding="utf-8"))
    [section] = doc.xpath(f"//section[@aria-labelledby='{table}']")
    return [t.text_content() for t in section.xpath(".//svg/text[@text-anchor='end']")]


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_charts_name_modules_by_number_and_title_and_data_keeps_ids(tmp_path: Path) -> None:
    course = load_course(REAL)
    report, out = _report(REAL, tmp_path, learners=40)
    names = {m.id: f"Module {n}: {m.spec.title}" for n, m in enumerate(course.modules, start=1)}
    ids = set(names)
    for table, first in [("participation", 1), ("learning", 0), ("items", 0)]:
        labels = _chart_labels(out / "r.html", table)
        assert labels, table
        shown = [label.split(SEP)[first] for label in labels]
        assert not ids & {part for label in labels for part in label.split(SEP)}, table
        for module_id, name in names.items():
            # The title may be cut with "…" to leave room for the other parts of the label.
            fits = [s for s in shown if s == name or (s.endswith("…") and name.startswith(s[:-1]))]
            assert fits, f"{table}: no bar of {module_id} labelled {name!r} in {shown[:6]}"
    # The learning chart shows matched items and whole tests; each objective is in its table.
    assert not [x for x in _chart_labels(out / "r.html", "learning") if f"{SEP}objective " in x]
    # CSV and JSON: the ids stay, the title stands beside them.
    rows = _csv(out / "csv" / "participation.csv")
    assert {r["scope"] for r in rows} == {"course", *ids}
    assert all(r["scope_title"] == names.get(r["scope"], "Whole course") for r in rows)
    for table, key in [("learning", "scope"), ("items", "module"), ("options", "module")]:
        for row in report["tables"][table]:
            if row[key] in ids:
                assert row[f"{key}_title"] == names[row[key]], (table, row)
    header = (out / "csv" / "items.csv").read_text().splitlines()[0]
    assert header.startswith("module,module_title,test,question")


def test_a_title_with_markup_is_text_in_the_html_and_svg(tmp_path: Path) -> None:
    source = tmp_path / "course"
    shutil.copytree(MINIMAL, source)
    module_yaml = source / "01-basics" / "module.yaml"
    title = 'Rights & <b>"remedies"</b> <i>'
    module_yaml.write_text(
        module_yaml.read_text().replace("title: Basics", f"title: '{title}'"), encoding="utf-8"
    )
    (tmp_path / "out").mkdir()
    _, out = _report(source, tmp_path / "out", learners=12)
    text = (out / "r.html").read_text(encoding="utf-8")
    assert "<b>" not in text and "<i>" not in text
    assert f"all{SEP}Module 1: {title}" in _chart_labels(out / "r.html", "participation")
    doc = lxml_html.fromstring(text)
    cells = [td.text_content() for td in doc.xpath("//section[@aria-labelledby='items']//td")]
    assert f"Module 1: {title}" in cells
