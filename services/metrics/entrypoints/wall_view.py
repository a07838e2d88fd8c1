"""The wall page's HTML, rendered on the server from a wall payload.

The page and each update its event stream sends come from the same
template, so the first paint already carries the figures and the browser
never needs a second renderer.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 100.0, 30.0, 3.0
# The least span a sparkline's axis covers, so that noise is not drawn as a
# cliff: ten percentage points for a share, else a tenth of the largest value.
RATIO_FLOOR = 0.10
RELATIVE_FLOOR = 0.10
RAG_MARK = {"green": "✓", "amber": "▲", "red": "✗"}

_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def fmt(value: float | None, unit: str, suppressed: bool = False) -> str:
    """A figure as the wall prints it: 63.1%, £43.6m, 3,312."""
    if suppressed:
        return "x"
    if value is None:
        return "\u2013"  # an en dash: no figure
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    if unit == "gbp":
        return f"£{value / 1e6:.1f}m" if abs(value) >= 1e6 else f"£{round(value):,}"
    if unit == "count" or float(value).is_integer():
        return f"{round(value):,}"
    return f"{value:.1f}"


def axis(values: Sequence[float], unit: str) -> tuple[float, float]:
    """The (bottom, top) of a sparkline's axis: the values' range, widened
    about its middle to the floor span, and kept at or above zero when every
    value is."""
    lo, hi = min(values), max(values)
    floor = RATIO_FLOOR if unit == "ratio" else RELATIVE_FLOOR * max(abs(lo), abs(hi))
    span = max(hi - lo, floor) or 1.0
    bottom = (lo + hi - span) / 2
    if bottom < 0 <= lo:
        bottom = 0.0
    return bottom, bottom + span


def sparkline(values: Sequence[float | None], unit: str) -> list[str]:
    """SVG polyline point lists (one per unbroken run) in a 100x30 box."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return []
    bottom, top = axis(known, unit)
    step = SPARK_WIDTH / (len(values) - 1)
    usable = SPARK_HEIGHT - 2 * SPARK_PAD
    runs: list[list[str]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            runs.append([])
            continue
        y = SPARK_HEIGHT - SPARK_PAD - usable * (v - bottom) / (top - bottom)
        runs[-1].append(f"{i * step:.1f},{y:.1f}")
    return [" ".join(run) for run in runs if len(run) > 1]


def target_text(tile: dict[str, Any]) -> str:
    if tile["target"] is None:
        return ""
    sign = {True: "≥ ", False: "≤ "}.get(tile["higher_is_better"], "")
    mark = RAG_MARK.get(tile["rag"] or "", "")
    return f"{mark} {sign}{fmt(tile['target'], tile['unit'])}".strip()


def _rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The payload's panels (one per scope) turned into rows (one per indicator)."""
    panels = payload["panels"]
    out = []
    for i, first in enumerate(panels[0]["tiles"] if panels else []):
        cells = []
        for panel in panels:
            tile = panel["tiles"][i]
            cells.append(
                {
                    "testid": f"{panel['scope']}-{tile['key']}",
                    "rag": tile["rag"] or "none",
                    "value": fmt(tile["value"], tile["unit"], tile["suppressed"]),
                    "target": target_text(tile),
                    "spark": sparkline(tile["trend"], tile["unit"]),
                }
            )
        out.append({"key": first["key"], "label": first["label"], "cells": cells})
    return out


def board_html(payload: dict[str, Any]) -> str:
    """The table of figures (what an update replaces)."""
    return _env.get_template("wall_board.html").render(
        payload=payload, rows=_rows(payload), width=SPARK_WIDTH, height=SPARK_HEIGHT
    )


def page_html(payload: dict[str, Any], rotate_seconds: int) -> str:
    return _env.get_template("wall.html").render(
        payload=payload, board=board_html(payload), rotate_seconds=rotate_seconds
    )
