"""Sections about the children: headline, numbers in care, starts, mix, distance, stability,
referrals. Each figure over time is one row per 31 March the records cover, and the as-of date."""

from collections.abc import Sequence
from datetime import date

from services.metrics.domain.report.cells import (
    SUPPRESSED,
    day,
    people,
    pick,
    target_in_force,
    value,
)
from services.metrics.domain.report.inputs import ReportInputs
from services.metrics.domain.report.model import Chart, Column, Line, Section, Table, Unit
from shared.codes.categories import PlacementCategory

HEADLINES = (
    ("children_in_care", None, "Children in care"),
    ("children_in_care_rate_per_10000", None, "Rate per 10,000 children"),
    ("starts_12m", None, "Starts (12 months)"),
    ("ceased_12m", None, "Ceased (12 months)"),
    ("placement_mix", "residential", "Residential placements"),
    ("placement_mix", "fostering", "Fostering placements"),
    ("within_20_miles", None, "Placed within 20 miles"),
    ("inside_la_boundary", None, "Placed inside the LA"),
    ("three_plus_placements", None, "3+ placements in 12 months"),
    ("long_term_stability", None, "Long-term stability"),
    ("own_home_occupancy", None, "Own homes' occupancy"),
    ("own_home_occupancy", "childrens_home", "Own children's homes' occupancy"),
    ("referral_to_placement_median_days", None, "Referral to placement (median days)"),
    ("weekly_spend_gbp", None, "Weekly spend on placements"),
)
CATEGORIES = [str(c) for c in PlacementCategory]


def _yearly(
    inp: ReportInputs,
    key: str,
    title: str,
    columns: Sequence[tuple[str, str, str, str | None, Unit]],
    definitions: tuple[str, ...],
) -> Table:
    """One row per date of `inp.yearly`: (key, label, indicator, breakdown, unit) columns."""
    rows = tuple(
        (day(d), *(value(vals, name, b) for _, _, name, b, _ in columns)) for d, vals in inp.yearly
    )
    return Table(
        key,
        title,
        (
            Column("date", "31 March / as of", "text"),
            *(Column(k, lbl, u) for k, lbl, _, _, u in columns),
        ),
        rows,
        definitions,
        inp.as_of,
    )


def headline(inp: ReportInputs) -> Section:
    rows = []
    for name, breakdown, label in HEADLINES:
        ind = pick(inp.current, name, breakdown)
        if ind is None:
            continue
        rows.append(
            (
                label,
                name,
                breakdown or "",
                SUPPRESSED if ind.suppressed else ind.value,
                ind.unit,
                ind.target,
                ind.rag or "",
            )
        )
    table = Table(
        "headline",
        "Headline indicators against targets",
        (
            Column("label", "Indicator", "text"),
            Column("indicator", "Id", "text"),
            Column("breakdown", "Breakdown", "text"),
            Column("value", "Value", "auto"),
            Column("unit", "Unit", "text"),
            Column("target", "Target", "auto"),
            Column("rag", "RAG", "text"),
        ),
        tuple(rows),
        tuple(dict.fromkeys(n for n, _, _ in HEADLINES)),
        inp.as_of,
        "RAG: green meets the target in force at the date, amber misses it by up to 5 "
        "points (5% for counts, days and money), red by more. A region has no targets.",
    )
    met = sum(1 for r in rows if r[6] == "green")
    judged = sum(1 for r in rows if r[6])
    return Section(
        "headline",
        "Headline indicators",
        f"{met} of {judged} indicators with a target meet it at {inp.as_of:%d %B %Y}.",
        (table,),
    )


def children_in_care(inp: ReportInputs) -> Section:
    below, hide = inp.suppress_below, inp.suppressed
    rows: list[tuple[object, ...]] = []
    for d, n in inp.history:
        pop = inp.population.get(d)
        rate = n * 10_000 / pop if pop else None
        live = inp.records_from is not None and d >= inp.records_from
        rows.append(
            (
                day(d),
                people(n, hide, below),
                rate,
                "live" if live else "published",
                None,
                None,
                None,
                None,
                None,
                None,
            )
        )
    line = {p.period: p for p in (inp.straight_line.points if inp.straight_line else ())}
    best = {p.period: p for p in (inp.best.points if inp.best else ())}
    for period in sorted(set(line) | set(best)):
        s, b = line.get(period), best.get(period)
        rows.append(
            (
                day(period),
                None,
                None,
                "forecast",
                s and s.mid,
                s and s.lower,
                s and s.upper,
                b and b.mid,
                b and b.lower,
                b and b.upper,
            )
        )
    best_name = inp.best.model if inp.best else "best backtest"
    table = Table(
        "children_in_care",
        "Children in care at 31 March: ten years and the forecast",
        (
            Column("date", "31 March", "text"),
            Column("children_in_care", "Children in care"),
            Column("rate_per_10000", "Rate per 10,000", "per_10000"),
            Column("source", "Source", "text"),
            Column("line_mid", "Straight line", "count"),
            Column("line_lower", "Straight line lower (95%)"),
            Column("line_upper", "Straight line upper (95%)"),
            Column("best_mid", f"{best_name} forecast"),
            Column("best_lower", f"{best_name} lower"),
            Column("best_upper", f"{best_name} upper"),
        ),
        tuple(rows),  # type: ignore[arg-type]
        ("children_in_care", "children_in_care_rate_per_10000", "forecast", "published_figures"),
        inp.as_of,
    )
    forecast_rows = tuple(
        (day(p.period), f.model, round(p.mid), round(p.lower), round(p.upper))
        for f in (inp.straight_line, inp.best)
        if f is not None
        for p in f.points
    )
    forecast = Table(
        "forecast",
        "Forecast of children in care (mid and 95% bounds)",
        (
            Column("date", "31 March", "text"),
            Column("model", "Model", "text"),
            Column("mid", "Forecast"),
            Column("lower", "Lower"),
            Column("upper", "Upper"),
        ),
        forecast_rows,
        ("forecast",),
        inp.as_of,
        "linear_confidence is the statutory straight line with its confidence interval, "
        "as the councils' published tables use.",
    )
    charts = (
        Chart(
            "children_in_care_chart",
            "Children in care and forecast",
            "children_in_care",
            "line",
            "date",
            (
                Line("children_in_care"),
                Line("line_mid", "line_lower", "line_upper", dashed=True, joins="children_in_care"),
                Line("best_mid", dashed=True, joins="children_in_care"),
            ),
        ),
        Chart(
            "rate_chart",
            "Rate per 10,000 children",
            "children_in_care",
            "line",
            "date",
            (Line("rate_per_10000"),),
            "per_10000",
        ),
    )
    first = f"{inp.history[0][0]:%Y}" if inp.history else "-"
    summary = f"31 March figures from {first}; forecast from the history up to {inp.as_of}."
    notices = (inp.forecast_problem,) if inp.forecast_problem else ()
    return Section(
        "children_in_care", "Children in care", summary, (table, forecast), charts, notices
    )


def starts_and_ceased(inp: ReportInputs) -> Section:
    table = _yearly(
        inp,
        "starts_ceased",
        "Starts and ceased in the 12 months to each date",
        [
            ("starts", "Starts", "starts_12m", None, "count"),
            ("ceased", "Ceased", "ceased_12m", None, "count"),
        ],
        ("starts_12m", "ceased_12m"),
    )
    chart = Chart(
        "starts_chart",
        "Starts and ceased",
        "starts_ceased",
        "bar",
        "date",
        (Line("starts"), Line("ceased")),
    )
    return Section(
        "starts", "Starts and ceased", "Children entering and leaving care.", (table,), (chart,)
    )


def _path(inp: ReportInputs, through: int) -> list[tuple[date, float | None]]:
    """The residential mix target in force at each 31 March from the as-of year to `through`."""
    days = [date(year, 3, 31) for year in range(inp.as_of.year, through + 1)]
    return [(d, target_in_force(inp.targets, "placement_mix", "residential", d)) for d in days]


def placement_mix(inp: ReportInputs) -> Section:
    ratio: Unit = "ratio"
    cols = [(c, c.replace("_", " ").capitalize(), "placement_mix", c, ratio) for c in CATEGORIES]
    mix = _yearly(inp, "placement_mix", "Placement mix at each date", cols, ("placement_mix",))
    last_target = max(
        (
            t.valid_from.year + 1
            for t in inp.targets
            if t.indicator == "placement_mix" and t.breakdown == "residential"
        ),
        default=inp.as_of.year,
    )
    actual = {r[0]: r[1 + CATEGORIES.index("residential")] for r in mix.rows}
    path = [(day(d), actual.get(day(d)), t) for d, t in _path(inp, last_target)]
    known = {p[0] for p in path}
    rows = [(d, a, None) for d, a in actual.items() if d not in known] + path
    trajectory = Table(
        "residential_trajectory",
        "Residential share against the target path",
        (
            Column("date", "31 March", "text"),
            Column("residential", "Residential share", "ratio"),
            Column("target", "Target path", "ratio"),
        ),
        tuple(sorted(rows)),
        ("placement_mix",),
        inp.as_of,
        "The target in force at each 31 March (a target valid from 1 April applies to that "
        "year's 31 March census).",
    )
    charts = (
        Chart(
            "mix_chart",
            "Placement mix",
            "placement_mix",
            "bar",
            "date",
            tuple(Line(c) for c in CATEGORIES),
            "ratio",
        ),
        Chart(
            "trajectory_chart",
            "Residential share and target path",
            "residential_trajectory",
            "line",
            "date",
            (Line("residential"), Line("target", dashed=True)),
            "ratio",
        ),
    )
    return Section(
        "placement_mix",
        "Placement mix and its trajectory",
        "Where children live, by category, and residential against the target path.",
        (mix, trajectory),
        charts,
    )


def _target(inp: ReportInputs, name: str, d: date) -> float | None:
    return target_in_force(inp.targets, name, None, d)


def distance(inp: ReportInputs) -> Section:
    rows = tuple(
        (
            day(d),
            value(v, "within_20_miles"),
            _target(inp, "within_20_miles", d),
            value(v, "inside_la_boundary"),
            _target(inp, "inside_la_boundary", d),
            value(v, "distance_not_known"),
        )
        for d, v in inp.yearly
    )
    table = Table(
        "distance",
        "Distance and location",
        (
            Column("date", "31 March / as of", "text"),
            Column("within_20_miles", "Within 20 miles", "ratio"),
            Column("within_20_miles_target", "Target (20 miles)", "ratio"),
            Column("inside_la", "Inside the LA", "ratio"),
            Column("inside_la_target", "Target (inside)", "ratio"),
            Column("not_known", "Distance not known", "ratio"),
        ),
        rows,
        ("within_20_miles", "inside_la_boundary", "distance_not_known"),
        inp.as_of,
    )
    chart = Chart(
        "distance_chart",
        "Within 20 miles and inside the LA, against targets",
        "distance",
        "line",
        "date",
        (
            Line("within_20_miles"),
            Line("within_20_miles_target", dashed=True),
            Line("inside_la"),
            Line("inside_la_target", dashed=True),
        ),
        "ratio",
    )
    return Section(
        "distance", "Distance and location", "How near home children live.", (table,), (chart,)
    )


def stability(inp: ReportInputs) -> Section:
    table = _yearly(
        inp,
        "stability",
        "Placement stability",
        [
            ("three_plus", "3+ placements in 12 months", "three_plus_placements", None, "ratio"),
            (
                "long_term",
                "Same carer 2+ years (in care 2.5+ years, under 16)",
                "long_term_stability",
                None,
                "ratio",
            ),
        ],
        ("three_plus_placements", "long_term_stability"),
    )
    chart = Chart(
        "stability_chart",
        "Placement stability",
        "stability",
        "line",
        "date",
        (Line("three_plus"), Line("long_term")),
        "ratio",
    )
    return Section("stability", "Stability", "Moves and long-term stability.", (table,), (chart,))


def referrals(inp: ReportInputs) -> Section:
    table = _yearly(
        inp,
        "referrals",
        "Referrals and time to placement",
        [
            (
                "median_days",
                "Median days to placement",
                "referral_to_placement_median_days",
                None,
                "days",
            ),
            ("p90_days", "90th percentile days", "referral_to_placement_p90_days", None, "days"),
            ("open", "Open referrals", "open_referrals", None, "count"),
            (
                "open_age",
                "Open referrals' mean age (days)",
                "open_referral_mean_age_days",
                None,
                "days",
            ),
            ("emergency", "Emergency placements", "emergency_placement_ratio", None, "ratio"),
        ],
        ("referral_to_placement_median_days", "open_referrals", "emergency_placement_ratio"),
    )
    chart = Chart(
        "referrals_chart",
        "Days from referral to placement",
        "referrals",
        "line",
        "date",
        (Line("median_days"), Line("p90_days", dashed=True)),
        "days",
    )
    return Section(
        "referrals",
        "Referrals and time to placement",
        "How long a child waits for a placement.",
        (table,),
        (chart,),
    )
