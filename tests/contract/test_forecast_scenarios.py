"""A scenario end to end through the forecast service's store: reduce entries 10%
and open a 4-bed home in 2027, against the baseline, with beds and cost."""

from datetime import date
from pathlib import Path
from typing import cast

from bench.workload import journeys
from services.forecast.adapters import care_states, observations
from services.forecast.domain import scenarios as sc
from services.forecast.service_layer.forecasting import Forecaster
from services.forecast.service_layer.scenario_runner import Step, apply_steps, baseline_plan
from shared.db import transaction
from shared.events.registry import AnyEvent
from shared.migrations import upgrade

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "forecast" / "migrations"
LA = "E06000001"  # the first LA of the bench workload
GROWTH = {
    "fostering": 400,
    "residential": 60,
    "supported": 40,
    "adoption": 10,
    "with_parents": 15,
    "other": 5,
}


def test_reduce_entries_and_open_a_home(engine):
    upgrade(engine, MIGRATIONS)
    with transaction(engine) as s:
        for event in journeys(1, 800, 8, date(2026, 3, 31), seed=4):
            # the workload builds each event as its own type
            care_states.record(s, cast(AnyEvent, event.model_copy(update={"la": LA})))
        for k, year in enumerate(range(2019, 2027)):
            for category, level in GROWTH.items():
                observations.upsert(
                    s,
                    LA,
                    f"children_in_care.{category}",
                    date(year, 3, 31),
                    level * (1 + 0.04 * k),
                    "upload",
                )
    forecaster = Forecaster(engine)
    base = baseline_plan(forecaster, LA, 3, {"residential": 20})
    assert [s.year for s in base] == [2027, 2028, 2029]
    plan = apply_steps(
        forecaster,
        LA,
        base,
        [
            Step(kind="reduce_entries", percent=10, year=2027),
            Step(kind="open_home", beds=4, year=2027, category="residential"),
        ],
    )
    years = sc.compare(base, plan)
    first = years[0]
    # Fewer children than the baseline, and never more in any category.
    assert sum(first.scenario.children.values()) < sum(first.baseline.children.values())
    assert all(
        first.scenario.children[c] <= first.baseline.children[c] + 1e-9
        for c in first.baseline.children
    )
    # Four more own residential places: fewer external residential beds needed, lower cost.
    assert (
        first.scenario.beds_needed["residential.external"]
        < first.baseline.beds_needed["residential.external"]
    )
    assert (
        first.difference.weekly_cost < 0 and first.scenario.annual_cost < first.baseline.annual_cost
    )
