"""How a value reads in the report, by unit (HTML, PDF and chart labels alike)."""

from services.metrics.domain.report.model import Cell

CELL_UNITS = ("count", "ratio", "per_10000", "days", "gbp")


def show(cell: Cell, unit: str) -> str:
    if cell is None:
        return "-"
    if isinstance(cell, str):
        return cell
    if unit == "ratio":
        return f"{cell * 100:.1f}%"
    if unit == "gbp":
        return f"£{cell:,.0f}"
    if unit in ("per_10000", "days"):
        return f"{cell:,.1f}"
    if unit == "count":
        return f"{cell:,.0f}" if float(cell).is_integer() or abs(cell) >= 100 else f"{cell:,.1f}"
    return str(cell)


def tick(v: float, unit: str) -> str:
    if unit == "ratio":
        return f"{v * 100:.0f}%"
    if unit == "gbp":
        return f"£{v / 1e6:,.1f}m" if abs(v) >= 1e6 else f"£{v:,.0f}"
    return f"{v:,.0f}" if abs(v) >= 10 or v == 0 else f"{v:,.1f}"
