"""Every indicator of INDICATORS.md for an LA as of a date, and for a region."""

from collections import defaultdict
from dataclasses import replace
from datetime import date

from services.metrics.domain import care, cost, distance, referrals, stability, supply
from services.metrics.domain.cohort import looked_after
from services.metrics.domain.facts import LaFacts
from services.metrics.domain.indicator import Indicator
from services.metrics.domain.rag import with_target
from services.metrics.domain.reference import ReferenceForLa
from services.metrics.domain.referrals import quantile_indicator

__all__ = ["Indicator", "aggregate_region", "compute_all"]


def compute_all(facts: LaFacts, day: date, ref: ReferenceForLa) -> list[Indicator]:
    cohort = looked_after(facts, day)
    values = [
        *care.children_in_care(cohort, day, ref),
        *care.starts_and_ceased(facts, day),
        *care.placement_mix(cohort),
        *care.provider_mix(cohort),
        *distance.within_20_miles(cohort),
        distance.inside_la_boundary(cohort, facts.la),
        stability.three_plus_placements(facts, cohort, day),
        stability.long_term_stability(facts, cohort, day),
        *supply.own_home_occupancy(facts, day),
        *supply.vacancies(facts, day),
        *referrals.referral_to_placement(facts, day),
        referrals.emergency_placements(facts, day),
        care.uasc_share(cohort),
        *cost.weekly_cost(cohort),
        cost.framework_use(facts, day),
    ]
    return [with_target(v, ref.target(v.name, v.breakdown, day)) for v in values]


def aggregate_region(per_la: list[list[Indicator]]) -> list[Indicator]:
    """Sum numerators and denominators over LAs; never average percentages.

    Medians and percentiles pool their LAs' samples and are computed again.
    """
    groups: dict[tuple[str, str | None], list[Indicator]] = defaultdict(list)
    order: list[tuple[str, str | None]] = []
    for values in per_la:
        for v in values:
            key = (v.name, v.breakdown)
            if key not in groups:
                order.append(key)
            groups[key].append(v)
    return [_combine(groups[key]) for key in order]


def _combine(parts: list[Indicator]) -> Indicator:
    first = parts[0]
    if first.samples or first.name.startswith("referral_to_placement_"):
        pooled = [s for p in parts for s in p.samples]
        q = 50 if first.name.endswith("median_days") else 90
        return replace(quantile_indicator(first.name, pooled, q), breakdown=first.breakdown)
    num = _sum(p.numerator for p in parts)
    den = _sum(p.denominator for p in parts)
    value: float | None
    if first.unit == "ratio":
        value = num / den if num is not None and den else None
    elif first.unit == "per_10000":
        value = num / den * 10_000 if num is not None and den else None
    elif den is not None and first.unit in ("days", "gbp") and first.denominator is not None:
        value = num / den if num is not None and den else None  # a mean: total over count
    else:
        value = _sum(p.value for p in parts)
    return Indicator(first.name, value, num, den, first.unit, first.breakdown)


def _sum(values: object) -> float | None:
    present = [v for v in values if v is not None]  # type: ignore[attr-defined]
    return float(sum(present)) if present else None
