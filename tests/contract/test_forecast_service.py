"""The forecaster on the service's store, on every backend."""

from datetime import date
from pathlib import Path

import pytest

from services.forecast.adapters import observations
from services.forecast.domain.pooling import pooled_choice
from services.forecast.service_layer.forecasting import Forecaster, NotEnoughHistory
from services.forecast.service_layer.pool import MIN_POOL_CASES
from shared.db import transaction
from shared.migrations import upgrade
from tests.unit.forecast.seed001 import CHILDREN_IN_CARE

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "forecast" / "migrations"
DERBYSHIRE, DERBY = "E10000007", "E06000015"


@pytest.fixture
def forecaster(engine):
    upgrade(engine, MIGRATIONS)
    with transaction(engine) as s:
        for year, value in CHILDREN_IN_CARE.items():
            if year <= 2024:
                observations.upsert(
                    s, DERBYSHIRE, "children_in_care", date(year, 3, 31), value, "upload"
                )
                observations.upsert(
                    s, DERBY, "children_in_care", date(year, 3, 31), 500 + year - 2013, "upload"
                )
    return Forecaster(engine)


def test_the_statutory_line_reproduces_derbyshires_published_forecast(forecaster):
    # Seed 001: the 2024 forecast for March 2025 was 1,112 (1,062-1,163), a line through 2017-2024.
    with transaction(forecaster.engine) as s:
        for year in range(2017, 2025):
            observations.upsert(
                s,
                "E99999999",
                "children_in_care",
                date(year, 3, 31),
                CHILDREN_IN_CARE[year],
                "upload",
            )
    result = forecaster.forecast(
        "E99999999", ["E99999999"], "children_in_care", "linear_confidence", 1, widen=False
    )
    point = result.points[0]
    assert point.period == date(2025, 3, 31)
    assert round(point.mid) == 1112
    assert abs(point.lower - 1062) <= 1.5 and abs(point.upper - 1163) <= 1.5
    honest = forecaster.forecast(
        "E99999999", ["E99999999"], "children_in_care", "linear_confidence", 1
    )
    assert (
        honest.widened and honest.points[0].lower <= point.lower
    )  # never narrower than the backtest


def test_the_default_is_chosen_across_las_by_the_pooled_backtest(forecaster):
    # Six more LAs with eight or more years each: enough pooled cases to choose by.
    with transaction(forecaster.engine) as s:
        for k in range(6):
            for year in range(2015, 2025):
                value = 300 + 40 * k + (year - 2015) * (5 + 3 * k) + (-1) ** year * 7
                observations.upsert(
                    s, f"E0600010{k}", "children_in_care", date(year, 3, 31), value, "upload"
                )
        for year in range(2021, 2025):  # too short to have 3 backtest origins of its own
            observations.upsert(s, "E06000199", "children_in_care", date(year, 3, 31), 90, "upload")
    pool = forecaster.pool("children_in_care")
    enough = {n: sc for n, sc in pool.scores.items() if sc.n >= MIN_POOL_CASES}
    assert enough and pool.default == pooled_choice(enough)
    for la in (DERBYSHIRE, DERBY, "E06000103", "E06000199"):
        result = forecaster.forecast(la, [la], "children_in_care", None, 3)
        assert result.chosen == result.model == pool.default
        first = result.points[0]
        # Bounds from the pooled relative errors of the default, scaled by the level.
        errors = pool.errors[pool.default][0]
        assert first.lower <= first.mid * (1 + min(errors) * 0.5) and first.lower >= 0
        assert first.upper > first.mid


def test_a_region_sums_its_members_on_common_dates(forecaster):
    result = forecaster.forecast("D2", [DERBYSHIRE, DERBY], "children_in_care", "linear", 2)
    assert dict(result.history)[date(2024, 3, 31)] == 1057 + 511


def test_too_little_history_is_a_clear_error(forecaster):
    with pytest.raises(NotEnoughHistory):
        forecaster.forecast("E06000018", ["E06000018"], "children_in_care", None, 1)


def test_a_new_point_refits_and_replaces_the_cached_answer(forecaster):
    first = forecaster.forecast(DERBY, [DERBY], "children_in_care", "linear", 1)
    assert forecaster.forecast(DERBY, [DERBY], "children_in_care", "linear", 1) is first
    with transaction(forecaster.engine) as s:  # today's snapshot moves, day after day
        observations.upsert(s, DERBY, "children_in_care", date(2025, 3, 31), 600, "snapshot")
    second = forecaster.forecast(DERBY, [DERBY], "children_in_care", "linear", 1)
    assert second is not first and dict(second.history)[date(2025, 3, 31)] == 600
    assert len(forecaster._cache) == 1  # one entry per question, not one per day


def test_until_fits_on_the_history_up_to_that_day(forecaster):
    """A report as of 31 March 2024 gets the forecast made then, though 2025 is held."""
    with transaction(forecaster.engine) as s:
        for year in range(2017, 2026):
            observations.upsert(
                s,
                "E99999998",
                "children_in_care",
                date(year, 3, 31),
                CHILDREN_IN_CARE[year],
                "upload",
            )
    args = ("E99999998", ["E99999998"], "children_in_care", "linear_confidence", 1)
    then = forecaster.forecast(*args, widen=False, until=date(2024, 3, 31))
    now = forecaster.forecast(*args, widen=False)
    assert then.history[-1] == (date(2024, 3, 31), CHILDREN_IN_CARE[2024])
    assert then.points[0].period == date(2025, 3, 31) and round(then.points[0].mid) == 1112
    assert now.points[0].period == date(2026, 3, 31)
