"""The data behind every chart and table: one tidy CSV, and a workbook with one
sheet a table and a sheet of definitions."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from services.metrics.domain.report.definitions import definition_of
from services.metrics.domain.report.model import Report, Table

CSV_HEADER = (
    "table",
    "row_number",
    "row",
    "column",
    "value",
    "unit",
    "as_of",
    "scope",
    "definitions",
)
EXCEL_FORMATS = {
    "ratio": "0.0%",
    "gbp": "£#,##0",
    "count": "#,##0.#",
    "per_10000": "0.0",
    "days": "0.0",
}


def to_csv(report: Report) -> str:
    """Long form: one line per cell, so tables of any shape share one file; `row`
    is the row's first cell (its date, category or label), `row_number` counts
    the table's rows from 1."""
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(CSV_HEADER)
    for table in report.tables():
        defs = " ".join(table.definitions)
        for number, row in enumerate(table.rows, 1):
            for col, cell in list(zip(table.columns, row, strict=True))[1:]:
                unit = _unit(table, row, col.key, col.unit)
                out.writerow(
                    (
                        table.key,
                        number,
                        row[0],
                        col.key,
                        "" if cell is None else cell,
                        unit,
                        table.as_of.isoformat(),
                        report.scope,
                        defs,
                    )
                )
    return buf.getvalue()


def _unit(table: Table, row: tuple[object, ...], key: str, unit: str) -> str:
    if unit != "auto":
        return unit
    keys = [c.key for c in table.columns]
    return str(row[keys.index("unit")])


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    about = book.active
    assert about is not None  # a new workbook has one sheet
    about.title = "about"
    about.append(["Placement sufficiency assessment"])
    about.append(["scope", report.scope, report.scope_name])
    about.append(["as of", report.as_of.isoformat()])
    about.append(["small-number rule applied", "yes" if report.suppressed else "no"])
    about.append(["sheet", "title", "definitions"])
    for table in report.tables():
        about.append([table.key, table.title, ", ".join(table.definitions)])
        _sheet(book, table)
    defs = book.create_sheet("definitions")
    defs.append(["id", "title", "definition"])
    keys = dict.fromkeys(["small_numbers", *(d for t in report.tables() for d in t.definitions)])
    for key in keys:
        d = definition_of(key)
        defs.append([d.key, d.title, d.text])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _sheet(book: Workbook, table: Table) -> None:
    sheet = book.create_sheet(table.key[:31])
    sheet.append([c.label for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(list(row))
        for col, cell in zip(table.columns, sheet[sheet.max_row], strict=True):
            fmt = EXCEL_FORMATS.get(_unit(table, row, col.key, col.unit))
            if fmt and isinstance(cell.value, int | float):
                cell.number_format = fmt
    sheet.append([])
    sheet.append([f"As of {table.as_of.isoformat()}. {table.note}".strip()])
