"""Gathering a sufficiency report: the metrics service's own figures at each date,
and the forecast service's forecasts and scenario baseline over HTTP.

The metrics service hosts the report because it holds the indicators, as of any
date, and the supply facts; the forecast service is asked, with the caller's key,
only for what it alone holds (published history, forecasts, scenarios).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fastapi.concurrency import run_in_threadpool

from services.metrics.adapters.report.forecast_client import ForecastClient, ForecastUnavailable
from services.metrics.domain.indicator import Indicator
from services.metrics.domain.reference import TargetPoint
from services.metrics.domain.report import demand
from services.metrics.domain.report.build import build
from services.metrics.domain.report.inputs import Forecast, ReportInputs
from services.metrics.domain.report.model import Report
from services.metrics.domain.series import points_between
from services.metrics.domain.small_numbers import suppress
from services.metrics.service_layer.queries import UnknownScope
from services.metrics.service_layer.state import MetricsState

YEARS = 10
TARGET_PATH_END = 2031  # Derbyshire's residential path runs to 2030/31


@dataclass(frozen=True)
class Scope:
    code: str
    name: str
    members: list[str]
    is_region: bool
    region: str


def scope_of(state: MetricsState, la: str | None, region: str | None) -> Scope:
    names = state.la_names()
    if region is not None:
        if region not in state.regions():
            raise UnknownScope(f"unknown region {region!r}")
        return Scope(region, region, state.regions()[region], True, region)
    assert la is not None
    home = state.region_of(la)
    return Scope(la, names.get(la, la), [la], False, home)


def _indicators(state: MetricsState, scope: Scope, day: date, hide: bool) -> list[Indicator]:
    live = state.live
    values = (
        live.region(scope.members, day) if scope.is_region else live.indicators(scope.code, day)
    )
    return suppress(values, state.settings.suppress_below) if hide else values


def _start(state: MetricsState, scope: Scope, as_of: date) -> date:
    """The first date the report computes figures for: where the records are complete
    (else the first event held), at most ten years back."""
    earliest = date(as_of.year - YEARS + 1, 1, 1)
    starts = [state.reference(la).records_from or state.live.first_date(la) for la in scope.members]
    known = [d for d in starts if d is not None]
    return max([earliest, *([max(known)] if known else [])])


def _yearly(
    state: MetricsState, scope: Scope, as_of: date, hide: bool
) -> list[tuple[date, list[Indicator]]]:
    days = points_between(_start(state, scope, as_of), as_of, "year")
    if as_of not in days:
        days.append(as_of)
    return [(d, _indicators(state, scope, d, hide)) for d in days]


def _population(state: MetricsState, scope: Scope, days: list[date]) -> dict[date, int]:
    out = {}
    for d in days:
        pops = [state.reference(la).population_on(d) for la in scope.members]
        if pops and all(p is not None for p in pops):
            out[d] = sum(p for p in pops if p is not None)
    return out


def horizon(as_of: date) -> int:
    return min(15, max(5, TARGET_PATH_END - as_of.year))


async def gather(
    state: MetricsState, client: ForecastClient, scope: Scope, as_of: date, hide: bool
) -> Report:
    settings = state.settings
    current = await run_in_threadpool(_indicators, state, scope, as_of, hide)
    yearly = await run_in_threadpool(_yearly, state, scope, as_of, hide)
    target_la = scope.code if not scope.is_region else ""
    targets = state.reference(target_la).targets if target_la else ()
    params = {"region": scope.code} if scope.is_region else {"la": scope.code}
    straight: Forecast | None = None
    best: Forecast | None = None
    history: list[tuple[date, float]] = []
    problem = ""
    try:
        straight, history = await client.forecast(
            params, as_of, horizon(as_of), "linear_confidence", False
        )
        best, _ = await client.forecast(params, as_of, horizon(as_of), None, True)
    except ForecastUnavailable as exc:
        problem = f"Forecast unavailable: {exc}."
    if not history:  # no forecast: the live 31 March figures alone
        history = [
            (d, float(v.value))
            for d, vals in yearly
            for v in vals
            if v.name == "children_in_care"
            and v.breakdown is None
            and v.value is not None
            and (d.month, d.day) == (3, 31)
        ]
    history = history[-YEARS:]
    homes = [h for la in scope.members for h in state.live.homes(la)]
    capacity = demand.own_capacity(homes, scope.members, as_of)
    total = best or straight
    by_category, source = await _demand(client, scope, as_of, capacity, total, current, targets)
    costs = {
        i.breakdown: i.value
        for i in current
        if i.name == "weekly_cost_mean_gbp" and i.breakdown and i.value is not None
    }
    region_homes = [
        h for la in state.regions().get(scope.region, scope.members) for h in state.live.homes(la)
    ]
    records = [state.reference(la).records_from for la in scope.members]
    inputs = ReportInputs(
        scope=scope.code,
        scope_name=scope.name,
        is_region=scope.is_region,
        as_of=as_of,
        suppressed=hide,
        suppress_below=settings.suppress_below,
        current=current,
        yearly=yearly,
        records_from=max(records) if records and all(records) else None,  # type: ignore[type-var]
        history=history,
        population=_population(state, scope, [d for d, _ in history]),
        targets=tuple(targets),
        straight_line=straight,
        best=best,
        forecast_problem=problem,
        demand=by_category,
        demand_source=source,
        own_capacity=capacity,
        pipeline=demand.pipeline(homes, scope.members, as_of),
        unit_costs=costs,
        supply=demand.supply_table(region_homes, as_of),
        region=scope.region,
    )
    return build(inputs)


async def _demand(
    client: ForecastClient,
    scope: Scope,
    as_of: date,
    capacity: dict[str, float],
    total: Forecast | None,
    current: list[Indicator],
    targets: Sequence[TargetPoint],
) -> tuple[list[tuple[int, dict[str, float]]], str]:
    why = "a region's scenario is not run"
    if not scope.is_region:
        try:
            years = await client.baseline(scope.code, as_of, horizon(as_of), capacity)
            return years, "the forecast service's scenario baseline by placement category"
        except ForecastUnavailable as exc:
            why = str(exc)
    if total is None:
        return [], f"no forecast ({why})"
    split = demand.split_by_mix(total, current, targets)
    return split, (
        f"the {total.model} forecast split by the placement mix at {as_of}, residential held "
        f"to the target path (no scenario: {why})"
    )
