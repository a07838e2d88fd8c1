"""Running a scenario against the baseline forecast by placement category."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from services.forecast.adapters import care_states
from services.forecast.domain import scenarios as sc
from services.forecast.domain.flow import estimate_flow
from services.forecast.service_layer.flows import flow_history
from services.forecast.service_layer.forecasting import Forecaster, NotEnoughHistory
from shared.codes.categories import PlacementCategory


@dataclass(frozen=True)
class Step:
    kind: Literal[
        "reduce_entries",
        "step_down_residential",
        "open_home",
        "close_home",
        "residential_mix_target",
    ]
    percent: float = 0.0
    per_year: float = 0.0
    beds: float = 0.0
    year: int = 0
    category: str = "residential"
    targets: dict[int, float] | None = None


def baseline_plan(
    forecaster: Forecaster,
    la: str,
    horizon: int,
    own_capacity: dict[str, float],
    until: date | None = None,
) -> list[sc.YearState]:
    by_category = {}
    for category in PlacementCategory:
        try:
            result = forecaster.forecast(
                la, [la], f"children_in_care.{category}", None, horizon, until=until
            )
        except NotEnoughHistory:
            continue
        by_category[str(category)] = list(result.points)
    if not by_category:
        raise NotEnoughHistory(f"{la} has no children-in-care series by placement category")
    return list(sc.baseline(by_category, own_capacity))


def apply_steps(
    forecaster: Forecaster, la: str, plan: list[sc.YearState], steps: Sequence[Step]
) -> list[sc.YearState]:
    for step in steps:
        if step.kind == "reduce_entries":
            flows = flow_history(
                care_states.timelines(forecaster.engine, la), _last_census(plan), 12
            )
            if flows is None:
                raise NotEnoughHistory("reducing entries needs journey events for the flow model")
            plan = list(sc.reduce_entries(plan, step.percent, estimate_flow(flows), step.year))
        elif step.kind == "step_down_residential":
            plan = list(sc.step_down_residential(plan, step.per_year, step.year))
        elif step.kind in ("open_home", "close_home"):
            beds = step.beds if step.kind == "open_home" else -step.beds
            plan = list(sc.open_home(plan, beds, step.year, step.category))
        else:
            plan = list(sc.residential_mix_target(plan, step.targets or sc.SEED_001_MIX_TARGETS))
    return plan


def _last_census(plan: list[sc.YearState]) -> date:
    """The 31 March before the first forecast year: where the history ends."""
    return date(plan[0].year - 1, 3, 31)
