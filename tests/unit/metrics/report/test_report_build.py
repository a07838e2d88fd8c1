"""The report's sections from hand-built inputs: seed 001's tables, the gap, suppression."""

from datetime import date

from services.metrics.domain.report.build import build
from services.metrics.domain.report.formats import show
from services.metrics.domain.report.inputs import Forecast, ForecastPoint
from tests.unit.metrics.report.fixtures import AS_OF, current, inputs


def test_the_forecast_table_reads_as_seed_001_publishes_it():
    """Published: 1,112 (1,062-1,163); the fit on the published counts gives 1112.36
    (1062.54-1162.17), so the report's whole children are within one of each."""
    report = build(inputs())
    row = next(r for r in report.table("forecast").rows if r[1] == "linear_confidence")
    assert row[0] == "2025-03-31" and row[2] == 1112
    assert all(abs(a - b) <= 1 for a, b in zip(row[2:], (1112, 1062, 1163), strict=True))
    assert [show(c, "count") for c in row[2:]] == ["1,112", "1,063", "1,162"]


def test_every_section_is_there_and_every_table_has_a_definition_and_date():
    report = build(inputs())
    keys = [s.key for s in report.sections]
    assert keys == [
        "headline",
        "children_in_care",
        "starts",
        "placement_mix",
        "distance",
        "stability",
        "provider",
        "occupancy",
        "referrals",
        "gap",
        "supply",
    ]
    for table in report.tables():
        assert table.definitions and table.as_of == AS_OF
    for section in report.sections:
        for chart in section.charts:
            report.table(chart.table)  # every chart is drawn from a table of the report


def test_ten_years_of_children_in_care_with_rate_and_source():
    rows = build(inputs()).table("children_in_care").rows
    assert [r[0] for r in rows][:6] == [f"{y}-03-31" for y in range(2019, 2025)]
    y2024 = rows[5]
    assert y2024[1] == 1057 and round(y2024[2], 1) == 68.0 and y2024[3] == "live"
    assert rows[0][3] == "published"
    assert rows[-1][3] == "forecast" and round(rows[-1][4]) == 1112


def test_the_target_path_runs_to_2031():
    rows = build(inputs()).table("residential_trajectory").rows
    by_date = {r[0]: r for r in rows}
    assert by_date["2027-03-31"][2] == 0.16
    assert by_date["2031-03-31"][2] == 0.11
    assert by_date["2024-03-31"][1] == 0.16


def test_the_gap_counts_pipeline_homes_and_prices_external_against_in_house():
    rows = build(inputs()).table("gap_by_category").rows
    res_2025 = next(r for r in rows if r[:2] == (2025, "residential"))
    # 170 forecast, 30 own places + 4 opening January 2025 -> 136 needed
    assert res_2025[3] == 34.0 and res_2025[4] == 136.0
    assert res_2025[5] == 136 * 7326 * 52 and res_2025[6] == 136 * 3770 * 52
    fostering = next(r for r in rows if r[:2] == (2025, "fostering"))
    assert fostering[4] == 300.0 and fostering[6] == 300 * 634 * 52


def test_shared_beyond_the_la_small_counts_are_c():
    from services.metrics.domain.small_numbers import suppress

    shared = inputs(
        suppressed=True,
        current=suppress(current(), 6),
        history=[(date(2023, 3, 31), 4.0), (date(2024, 3, 31), 10.0)],
    )
    report = build(shared)
    cic = report.table("children_in_care").rows
    assert cic[0][1] == "c" and cic[1][1] == 10
    headline = {r[1]: r for r in report.table("headline").rows}
    assert headline["ceased_12m"][3] == "c"


def test_no_forecast_says_so_and_still_builds():
    report = build(
        inputs(
            straight_line=None, best=None, demand=[], forecast_problem="Forecast unavailable: x."
        )
    )
    section = next(s for s in report.sections if s.key == "children_in_care")
    assert section.notices == ("Forecast unavailable: x.",)
    assert report.table("forecast").rows == ()
    gap = next(s for s in report.sections if s.key == "gap")
    assert gap.notices


def test_split_by_mix_holds_residential_to_the_path():
    from services.metrics.domain.report.demand import split_by_mix

    total = Forecast("linear", (ForecastPoint(date(2031, 3, 31), 1000.0, 900.0, 1100.0),))
    years = split_by_mix(total, current(residential=0.16), inputs().targets)
    assert years[0][0] == 2031
    assert round(years[0][1]["residential"]) == 110  # 11% from April 2030
    assert round(years[0][1]["fostering"]) == 620 + 50


def test_the_gap_leaves_out_adoption_and_parents_and_totals_costs_like_with_like():
    demand = [
        (2025, {"residential": 170.0, "fostering": 700.0, "adoption": 20.0, "supported": 50.0})
    ]
    report = build(inputs(demand=demand))
    categories = [r[1] for r in report.table("gap_by_category").rows]
    assert categories == ["fostering", "residential", "supported"]
    (total,) = report.table("gap_by_year").rows
    assert total[:4] == ("2025", 920.0, 434.0, 486.0)  # 136 + 300 + 50 unpriced supported
    assert total[4] == 136 * 7326 * 52 + 300 * 974 * 52
    assert total[5] == 136 * 3770 * 52 + 300 * 634 * 52
