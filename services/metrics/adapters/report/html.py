"""The report as one self-contained HTML page: inline CSS and inline SVG, no script,
nothing fetched from elsewhere (so it prints to PDF as it shows)."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.metrics.domain.report.definitions import DEFINITIONS, definition_of
from services.metrics.domain.report.formats import show
from services.metrics.domain.report.model import Cell, Column, Report, Table
from services.metrics.domain.report.svg import render

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent),
    autoescape=select_autoescape(["html", "j2"]),
)


def _unit_of(table: Table, row: tuple[Cell, ...], column: Column) -> str:
    if column.unit != "auto":
        return column.unit
    units = [c.key for c in table.columns]
    return str(row[units.index("unit")]) if "unit" in units else "count"


def page(report: Report, base: str, links: dict[str, str]) -> str:
    charts = {c.key: render(c, report.table(c.table)) for s in report.sections for c in s.charts}
    return _ENV.get_template("page.html.j2").render(
        report=report,
        charts=charts,
        base=base,
        links=links,
        show=show,
        unit_of=_unit_of,
        definition=definition_of,
    )


def definitions_page() -> str:
    return _ENV.get_template("definitions.html.j2").render(definitions=DEFINITIONS.values())
