"""What a report is made of: sections of tables, and charts drawn from those tables.

Every chart is drawn from one table, so the CSV and the workbook (which hold
the tables) are exactly the data behind every chart. Cells hold raw values
(a ratio as 0.61, money in GBP); renderers format them by the column's unit.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

# "auto": each row names its unit in a column called "unit" (the headline table).
Unit = Literal["text", "count", "ratio", "per_10000", "days", "gbp", "auto"]
Cell = str | int | float | None
ChartKind = Literal["line", "bar"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: Unit = "count"


@dataclass(frozen=True)
class Table:
    key: str  # a stable id: the CSV's `table`, the workbook's sheet name (<= 31 chars)
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    definitions: tuple[str, ...]  # indicator ids (definitions.DEFINITIONS)
    as_of: date
    note: str = ""

    def column(self, key: str) -> list[Cell]:
        i = [c.key for c in self.columns].index(key)
        return [r[i] for r in self.rows]


@dataclass(frozen=True)
class Line:
    """One series of a chart: a column of the table, optionally with an interval."""

    column: str
    lower: str | None = None
    upper: str | None = None
    dashed: bool = False
    joins: str | None = None  # drawn on from the last point of this column (a forecast)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    table: str  # the key of the table it is drawn from
    kind: ChartKind
    x: str  # the column of category / x labels
    lines: tuple[Line, ...]
    unit: Unit = "count"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    summary: str
    tables: tuple[Table, ...]
    charts: tuple[Chart, ...] = ()
    notices: tuple[str, ...] = ()  # e.g. "forecast unavailable: ..."


@dataclass(frozen=True)
class Report:
    scope: str  # an LA code or a region name
    scope_name: str
    is_region: bool
    as_of: date
    suppressed: bool  # the small-number rule was applied (shared beyond the LA)
    suppress_below: int
    sections: tuple[Section, ...] = field(default=())

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables() if t.key == key)
