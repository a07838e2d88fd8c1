"""Charts as hand-built SVG: a line chart (with an interval band) and a grouped bar chart.

Built here rather than with a plotting library so the page needs no script, no
font files and nothing from outside, and the same markup prints to PDF.
"""

import math
from html import escape

from services.metrics.domain.report.cells import number
from services.metrics.domain.report.formats import tick
from services.metrics.domain.report.model import Chart, Line, Table

W, H = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 16, 70
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#85994b", "#6f777b")


def _scale(values: list[float]) -> tuple[float, float, list[float]]:
    """Axis from 0 (or the minimum, if below) to a round maximum, with five ticks."""
    lo, hi = min([0.0, *values]), max([0.0, *values])
    span = (hi - lo) or 1.0
    raw = span / 5
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    top = step * -(-hi // step) if hi > 0 else step
    bottom = step * (lo // step) if lo < 0 else 0.0
    ticks = [bottom + i * step for i in range(round((top - bottom) / step) + 1)]
    return bottom, top, ticks


def _y(v: float, lo: float, hi: float) -> float:
    return TOP + (H - TOP - BOTTOM) * (1 - (v - lo) / ((hi - lo) or 1.0))


def _label(table: Table, column: str) -> str:
    return next((c.label for c in table.columns if c.key == column), column)


def _frame(
    chart: Chart, ticks: list[float], lo: float, hi: float, labels: list[str], xs: list[float]
) -> list[str]:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="100%" '
        f'role="img" aria-label="{escape(chart.title)}" data-chart="{chart.key}" class="chart">',
        f"<title>{escape(chart.title)}</title>",
        f'<rect x="0" y="0" width="{W}" height="{H}" fill="#fff"/>',
    ]
    for t in ticks:
        y = _y(t, lo, hi)
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(tick(t, chart.unit))}</text>"
        )
    every = max(1, len(labels) // 12)
    room = max(4, int((W - LEFT - RIGHT) / max(len(labels), 1) * every / 6.5))
    for i, (label, x) in enumerate(zip(labels, xs, strict=True)):
        if i % every == 0:
            out.append(
                f'<text x="{x:.1f}" y="{H - BOTTOM + 16}" text-anchor="middle" font-size="11">'
                f"{escape(_short(label)[:room])}</text>"
            )
    return out


def _short(label: str) -> str:
    """A 31 March reads as its year (the tables say "31 March"); another date in full."""
    if len(label) == 10 and label[4] == "-" and label.endswith("-03-31"):
        return label[:4]
    if len(label) == 10 and label[4] == "-" and label[7] == "-":
        return f"{label[8:]}/{label[5:7]}/{label[:4]}"
    return label.replace("_", " ")


def _legend(table: Table, lines: tuple[Line, ...]) -> list[str]:
    out: list[str] = []
    x = float(LEFT)
    for i, line in enumerate(lines):
        colour = COLOURS[i % len(COLOURS)]
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        text = _label(table, line.column) + (" (95% interval shaded)" if line.lower else "")
        out.append(
            f'<line x1="{x}" x2="{x + 18}" y1="{H - 22}" y2="{H - 22}" stroke="{colour}" '
            f'stroke-width="3"{dash}/>'
            f'<text x="{x + 22}" y="{H - 18}" font-size="11">{escape(text)}</text>'
        )
        x += 30 + 6.2 * len(text)
    return out


def _values(table: Table, chart: Chart) -> list[float]:
    keys = [k for line in chart.lines for k in (line.column, line.lower, line.upper) if k]
    return [v for k in keys for c in table.column(k) if (v := number(c)) is not None]


def line_chart(chart: Chart, table: Table) -> str:
    labels = [str(c) for c in table.column(chart.x)]
    n = len(labels)
    width = W - LEFT - RIGHT
    xs = [LEFT + width * (i + 0.5) / max(n, 1) for i in range(n)]
    lo, hi, ticks = _scale(_values(table, chart))
    out = _frame(chart, ticks, lo, hi, labels, xs)
    for i, line in enumerate(chart.lines):
        colour = COLOURS[i % len(COLOURS)]
        if line.lower and line.upper:
            band = [
                (x, a, b)
                for x, ca, cb in zip(
                    xs, table.column(line.lower), table.column(line.upper), strict=True
                )
                if (a := number(ca)) is not None and (b := number(cb)) is not None
            ]
            if band:
                pts = [f"{x:.1f},{_y(b, lo, hi):.1f}" for x, _, b in band]
                pts += [f"{x:.1f},{_y(a, lo, hi):.1f}" for x, a, _ in reversed(band)]
                out.append(
                    f'<polygon points="{" ".join(pts)}" fill="{colour}" fill-opacity="0.15"/>'
                )
        points = [(x, number(c)) for x, c in zip(xs, table.column(line.column), strict=True)]
        drawn = [(x, v) for x, v in points if v is not None]
        path_points = _joined(xs, table, line, drawn)
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        if len(path_points) > 1:
            path = " ".join(f"{x:.1f},{_y(v, lo, hi):.1f}" for x, v in path_points)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash}/>'
            )
        out += [
            f'<circle cx="{x:.1f}" cy="{_y(v, lo, hi):.1f}" r="3" fill="{colour}"/>'
            for x, v in drawn
        ]
    return "\n".join([*out, *_legend(table, chart.lines), *_empty(table, chart), "</svg>"])


def _joined(
    xs: list[float], table: Table, line: Line, drawn: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """A forecast drawn on from the last observed point before its first one."""
    if line.joins is None or not drawn:
        return drawn
    before = [
        (x, v)
        for x, c in zip(xs, table.column(line.joins), strict=True)
        if (v := number(c)) is not None and x < drawn[0][0]
    ]
    return [before[-1], *drawn] if before else drawn


def bar_chart(chart: Chart, table: Table) -> str:
    labels = [str(c) for c in table.column(chart.x)]
    n = len(labels)
    width = W - LEFT - RIGHT
    slot = width / max(n, 1)
    xs = [LEFT + slot * (i + 0.5) for i in range(n)]
    lo, hi, ticks = _scale(_values(table, chart))
    out = _frame(chart, ticks, lo, hi, labels, xs)
    bars = [line for line in chart.lines if not line.dashed]
    bar_w = slot * 0.8 / max(len(bars), 1)
    for i, line in enumerate(chart.lines):
        colour = COLOURS[i % len(COLOURS)]
        for j, cell in enumerate(table.column(line.column)):
            v = number(cell)
            if v is None:
                continue
            if line.dashed:  # a target: a mark across the slot
                y = _y(v, lo, hi)
                out.append(
                    f'<line x1="{xs[j] - slot * 0.45:.1f}" x2="{xs[j] + slot * 0.45:.1f}" '
                    f'y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" stroke-width="3" '
                    'stroke-dasharray="6 4"/>'
                )
                continue
            k = bars.index(line)
            x = xs[j] - slot * 0.4 + k * bar_w
            top, base = _y(max(v, 0.0), lo, hi), _y(min(v, 0.0), lo, hi)
            out.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar_w * 0.92:.1f}" '
                f'height="{max(base - top, 0.5):.1f}" fill="{colour}"/>'
            )
    return "\n".join([*out, *_legend(table, chart.lines), *_empty(table, chart), "</svg>"])


def _empty(table: Table, chart: Chart) -> list[str]:
    if _values(table, chart):
        return []
    return [
        f'<text x="{W / 2}" y="{H / 2 - 20}" text-anchor="middle" font-size="14" '
        'fill="#6f777b">No figures at this date</text>'
    ]


def render(chart: Chart, table: Table) -> str:
    return line_chart(chart, table) if chart.kind == "line" else bar_chart(chart, table)
