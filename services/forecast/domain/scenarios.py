"""Scenarios on a baseline projection: children, beds and cost by year.

A plan is one :class:`YearState` per consecutive year (the year of the 31
March snapshot): children by placement category and the LA's own capacity by
category (beds in its own homes, places with its own foster carers). Each
scenario is a pure function plan -> plan and they compose by chaining:

* :func:`reduce_entries`: x% fewer children enter care from a year on; the
  missing entrants' effect follows the flow model's transition matrix
  (D(y) = Q^T D(y-1) + x% * entrants, subtracted from the baseline).
* :func:`step_down_residential`: n more residential placements a year move
  to fostering (cumulative, capped at the residential count; those children
  are assumed to stay in care).
* :func:`open_home` / :func:`close_home`: own capacity of k beds in a
  category from a year on. Children do not change; the own/external split,
  beds needed from the market, spare own beds and cost do.
* :func:`residential_mix_target`: residential capped at a share of all
  children (the latest target at or before each year applies), the excess
  moved to fostering. Seed 001's trajectory: 16% at the start of 2026/27
  (year 2026), 15% 2027, 14% 2028, 13% 2029, 11% 2030.

:func:`outcome` fills each category's own capacity first and the rest is
external; weekly cost = sum of children x unit cost by category and side
(:mod:`services.forecast.domain.costs`), annual = weekly x 52. Children in a
category and side with no unit cost are listed as uncosted.
:func:`compare` gives each year's scenario, baseline and difference.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from services.forecast.domain.costs import DEFAULT_UNIT_COSTS, SIDES, UnitCosts, cost_key
from services.forecast.domain.flow import FlowEstimate
from services.forecast.domain.forecast import ForecastPoint

RESIDENTIAL = "residential"
FOSTERING = "fostering"

SEED_001_MIX_TARGETS: Mapping[int, float] = {
    2026: 0.16,
    2027: 0.15,
    2028: 0.14,
    2029: 0.13,
    2030: 0.11,
}


@dataclass(frozen=True)
class YearState:
    year: int
    children: Mapping[str, float]
    own_capacity: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "children", dict(self.children))
        object.__setattr__(self, "own_capacity", dict(self.own_capacity))

    @property
    def total(self) -> float:
        return sum(self.children.values())

    def with_children(self, children: Mapping[str, float]) -> YearState:
        return YearState(self.year, children, self.own_capacity)


Plan = tuple[YearState, ...]


def _plan(states: Sequence[YearState]) -> Plan:
    years = [s.year for s in states]
    if any(b != a + 1 for a, b in pairwise(years)):
        raise ValueError(f"a plan needs consecutive years, got {years}")
    return tuple(states)


def baseline(
    by_category: Mapping[str, Sequence[ForecastPoint]],
    own_capacity: Mapping[str, float] | None = None,
) -> Plan:
    """A plan from per-category forecasts (their mids), year = the period's year."""
    years: dict[int, dict[str, float]] = {}
    for category, points in by_category.items():
        for p in points:
            years.setdefault(p.period.year, {})[category] = p.mid
    return _plan([YearState(y, years[y], own_capacity or {}) for y in sorted(years)])


def _move(children: Mapping[str, float], source: str, target: str, n: float) -> dict[str, float]:
    out = dict(children)
    moved = min(max(n, 0.0), out.get(source, 0.0))
    out[source] = out.get(source, 0.0) - moved
    out[target] = out.get(target, 0.0) + moved
    return out


def reduce_entries(
    states: Sequence[YearState],
    percent: float,
    flow: FlowEstimate,
    from_year: int,
    category_of: Callable[[str], str] | None = None,
) -> Plan:
    """``percent``% fewer entrants a year from ``from_year``; flow states map to categories."""
    if not 0 <= percent <= 100:
        raise ValueError("percent must be between 0 and 100")
    plan = _plan(states)
    key = category_of or (lambda s: s)
    q = flow.q
    fewer = np.asarray(flow.entrants, dtype=float) * percent / 100.0
    missing = np.zeros(len(flow.states))
    out = []
    for s in plan:
        if s.year < from_year:
            out.append(s)
            continue
        missing = q.T @ missing + fewer
        children = dict(s.children)
        for state, d in zip(flow.states, missing, strict=True):
            c = key(state)
            children[c] = max(children.get(c, 0.0) - float(d), 0.0)
        out.append(s.with_children(children))
    return tuple(out)


def step_down_residential(
    states: Sequence[YearState],
    per_year: float,
    from_year: int,
    to: str = FOSTERING,
    category: str = RESIDENTIAL,
) -> Plan:
    return tuple(
        s
        if s.year < from_year
        else s.with_children(_move(s.children, category, to, per_year * (s.year - from_year + 1)))
        for s in _plan(states)
    )


def open_home(
    states: Sequence[YearState], beds: float, year: int, category: str = RESIDENTIAL
) -> Plan:
    """``beds`` more own places in ``category`` from ``year`` on (negative closes)."""
    out = []
    for s in _plan(states):
        if s.year < year:
            out.append(s)
            continue
        capacity = dict(s.own_capacity)
        capacity[category] = max(capacity.get(category, 0.0) + beds, 0.0)
        out.append(YearState(s.year, s.children, capacity))
    return tuple(out)


def close_home(
    states: Sequence[YearState], beds: float, year: int, category: str = RESIDENTIAL
) -> Plan:
    return open_home(states, -beds, year, category)


def residential_mix_target(
    states: Sequence[YearState],
    targets: Mapping[int, float] = SEED_001_MIX_TARGETS,
    to: str = FOSTERING,
    category: str = RESIDENTIAL,
) -> Plan:
    """Residential at most ``share x all children`` (latest target at or before the year)."""
    if any(not 0 <= t <= 1 for t in targets.values()):
        raise ValueError("targets are shares between 0 and 1")
    out = []
    for s in _plan(states):
        applicable = [y for y in targets if y <= s.year]
        if not applicable:
            out.append(s)
            continue
        cap = targets[max(applicable)] * s.total
        excess = s.children.get(category, 0.0) - cap
        out.append(s.with_children(_move(s.children, category, to, excess)) if excess > 0 else s)
    return tuple(out)


@dataclass(frozen=True)
class YearOutcome:
    year: int
    children: dict[str, float]
    beds_needed: dict[str, float]
    """Places by ``"<category>.own"`` / ``"<category>.external"``."""
    own_spare: dict[str, float]
    """Own capacity left empty, by category."""
    weekly_cost: float
    annual_cost: float
    uncosted: dict[str, float]
    """Children by ``"<category>.<side>"`` with no unit cost (not in the totals)."""


def outcome(state: YearState, costs: UnitCosts = DEFAULT_UNIT_COSTS) -> YearOutcome:
    beds: dict[str, float] = {}
    spare: dict[str, float] = {}
    uncosted: dict[str, float] = {}
    weekly = 0.0
    categories = sorted(set(state.children) | set(state.own_capacity))
    for c in categories:
        n, capacity = state.children.get(c, 0.0), state.own_capacity.get(c, 0.0)
        own = min(n, capacity)
        split = {"own": own, "external": n - own}
        spare[c] = capacity - own
        for side in SIDES:
            beds[cost_key(c, side)] = split[side]
            price = costs.of(c, side)
            if price is None:
                if split[side] > 0:
                    uncosted[cost_key(c, side)] = split[side]
            else:
                weekly += price * split[side]
    children = {c: state.children.get(c, 0.0) for c in categories}
    return YearOutcome(
        state.year, children, beds, spare, weekly, weekly * costs.weeks_per_year, uncosted
    )


def _minus(a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, float]:
    return {k: a.get(k, 0.0) - b.get(k, 0.0) for k in sorted(set(a) | set(b))}


def difference(scenario: YearOutcome, base: YearOutcome) -> YearOutcome:
    if scenario.year != base.year:
        raise ValueError("outcomes for different years")
    return YearOutcome(
        scenario.year,
        _minus(scenario.children, base.children),
        _minus(scenario.beds_needed, base.beds_needed),
        _minus(scenario.own_spare, base.own_spare),
        scenario.weekly_cost - base.weekly_cost,
        scenario.annual_cost - base.annual_cost,
        _minus(scenario.uncosted, base.uncosted),
    )


@dataclass(frozen=True)
class YearComparison:
    year: int
    scenario: YearOutcome
    baseline: YearOutcome
    difference: YearOutcome


def compare(
    base: Sequence[YearState],
    scenario: Sequence[YearState],
    costs: UnitCosts = DEFAULT_UNIT_COSTS,
) -> tuple[YearComparison, ...]:
    if [s.year for s in base] != [s.year for s in scenario]:
        raise ValueError("baseline and scenario cover different years")
    out = []
    for b, s in zip(base, scenario, strict=True):
        ob, os_ = outcome(b, costs), outcome(s, costs)
        out.append(YearComparison(b.year, os_, ob, difference(os_, ob)))
    return tuple(out)
