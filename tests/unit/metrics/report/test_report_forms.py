"""The report's forms from one built report: the page, its charts, the CSV, the workbook."""

import csv
import io
import re

from openpyxl import load_workbook

from services.metrics.adapters.report import html, tabular
from services.metrics.domain.report.build import build
from services.metrics.domain.report.svg import render
from tests.unit.metrics.report.fixtures import inputs

LINKS = {"pdf": "/r.pdf", "csv": "/r.csv", "xlsx": "/r.xlsx"}


def test_the_page_has_every_chart_inline_and_fetches_nothing():
    report = build(inputs())
    page = html.page(report, "http://metrics", LINKS)
    charts = [c.key for s in report.sections for c in s.charts]
    assert re.findall(r'data-chart="([^"]+)"', page) == charts
    assert "<script" not in page and "https://" not in page
    assert not re.findall(r'(?:src|href)="//', page)
    assert 'href="http://metrics/reports/definitions#within_20_miles"' in page
    assert "1,112" in page and "1,057" in page


def test_a_forecast_line_starts_from_the_last_count_and_has_a_band():
    report = build(inputs())
    chart = next(c for s in report.sections for c in s.charts if c.key == "children_in_care_chart")
    svg = render(chart, report.table(chart.table))
    assert svg.count("<polygon") == 1  # the straight line's 95% interval
    dashed = [p for p in re.findall(r"<polyline [^>]+>", svg) if "dasharray" in p]
    assert all(len(re.search(r'points="([^"]+)"', p)[1].split()) == 2 for p in dashed)  # type: ignore[index]


def test_the_csv_holds_every_table_cell_by_row_number():
    report = build(inputs())
    rows = list(csv.DictReader(io.StringIO(tabular.to_csv(report))))
    assert {r["table"] for r in rows} == {t.key for t in report.tables() if t.rows}
    forecast = [r for r in rows if r["table"] == "forecast" and r["column"] == "model"]
    assert [(r["row_number"], r["value"]) for r in forecast] == [
        ("1", "linear_confidence"),
        ("2", "holt"),
    ]
    cic = {r["row"]: r["value"] for r in rows if r["column"] == "children_in_care"}
    assert cic["2024-03-31"] == "1057"


def test_the_workbook_has_a_sheet_a_table_and_definitions():
    report = build(inputs())
    book = load_workbook(io.BytesIO(tabular.to_xlsx(report)))
    assert book.sheetnames == ["about", *(t.key for t in report.tables()), "definitions"]
    sheet = book["gap_by_year"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["31 March", "Forecast children", "Own places", "Places needed"]
    assert sheet.cell(2, 1).value == "2025"
    assert sheet.cell(2, 4).value == 436.0  # 136 residential + 300 fostering
    defs = {r[0]: r[2] for r in book["definitions"].iter_rows(min_row=2, values_only=True)}
    assert "20 miles or less" in str(defs["within_20_miles"])
