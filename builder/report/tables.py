"""The report's one currency: tables of plain values, each explained in plain sentences.

Every figure of the report is a cell of a `Table`; the HTML, CSV, JSON and terminal writers only
format them. `Column.unit` says how to show a value: `count`, `share` (0-1, shown as a percent),
`number`, `minutes` or `text`. A missing value (too few learners, nothing to compare) is None.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

Unit = Literal["count", "share", "number", "minutes", "text"]
Value = str | int | float | None


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its key in CSV/JSON, its heading, its unit and what it means."""

    key: str
    heading: str
    unit: Unit
    #: One plain sentence: what the figure is, what it rests on, how uncertain it is.
    means: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table: its columns, its rows (one value per column) and what it is about."""

    name: str  # file name of its CSV, key in the JSON
    title: str
    about: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]

    def as_dicts(self) -> list[dict[str, Value]]:
        """The rows as `{column key: value}`."""
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


def share(part: int, whole: int) -> float | None:
    """`part / whole`, or None when there is no one to count."""
    return round(part / whole, 4) if whole else None


def mean(values: Sequence[float]) -> float | None:
    """The mean, or None for no values."""
    return round(statistics.fmean(values), 4) if values else None


def median(values: Sequence[float]) -> float | None:
    """The median, or None for no values."""
    return round(float(statistics.median(values)), 2) if values else None


def wilson(part: int | None, whole: int) -> tuple[float | None, float | None]:
    """The 95 % Wilson score interval of the rate `part / whole`; (None, None) without data.

    It stays inside 0-1 and is honest for small groups and rates near 0 or 1, where the
    textbook "rate ± 1.96 standard errors" is not (Wilson 1927; Brown, Cai & DasGupta 2001).
    """
    if part is None or whole <= 0:
        return None, None
    z, p = 1.959964, part / whole
    centre = (p + z * z / (2 * whole)) / (1 + z * z / whole)
    half = z / (1 + z * z / whole) * math.sqrt(p * (1 - p) / whole + z * z / (4 * whole * whole))
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The Pearson correlation of two equally long series; None if either does not vary."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return round(sxy / math.sqrt(sxx * syy), 4)


def format_value(value: Value, unit: Unit) -> str:
    """A value as a person reads it: 12, 83.3 %, 0.41, 12.5 min; "–" for none."""
    if value is None:
        return "–"
    if unit == "share" and isinstance(value, int | float):
        return f"{value * 100:.1f} %"
    if unit == "minutes" and isinstance(value, int | float):
        return f"{value:.1f} min"
    if unit == "number" and isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


#: Columns that hold a module id (or `course`), each given a `<key>_title` column beside it.
ID_COLUMNS = ("scope", "module")


def with_titles(table: Table, titles: Mapping[str, str]) -> Table:
    """`table` with a title column after each module-id column: people read "Module 3: title",
    while CSV and JSON keep the id under its key (an id without a title stays as it is)."""
    columns: list[Column] = []
    at: list[int] = []
    for i, column in enumerate(table.columns):
        if column.key not in ID_COLUMNS:
            columns.append(column)
            continue
        at.append(i)
        means = "The id of that part, as the statements and this table's CSV and JSON name it."
        columns += [
            replace(column, heading=f"{column.heading} id", means=means),
            Column(f"{column.key}_title", column.heading, "text", column.means),
        ]
    if not at:
        return table
    rows = []
    for row in table.rows:
        out: list[Value] = []
        for i, value in enumerate(row):
            out.append(value)
            if i in at:
                out.append(titles.get(str(value), value))
        rows.append(tuple(out))
    return replace(table, columns=tuple(columns), rows=tuple(rows))
