"""Indicators of the children in care themselves: count, rate, flows, mix, UASC."""

from datetime import date, timedelta

from services.metrics.domain.cohort import InCare, only_short_breaks
from services.metrics.domain.facts import LaFacts
from services.metrics.domain.indicator import Indicator, count, ratio
from services.metrics.domain.reference import ReferenceForLa
from shared.codes.categories import PlacementCategory, category_of
from shared.codes.ssda903 import PLACE_PROVIDER


def year_before(day: date) -> date:
    """The day before the 12-month window to `day` opens."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day - timedelta(days=365)


def children_in_care(cohort: list[InCare], day: date, ref: ReferenceForLa) -> list[Indicator]:
    population = ref.population(day)
    n = len(cohort)
    rate = Indicator("children_in_care_rate_per_10000", n / population * 10_000 if population else None,
                     n, population, "per_10000")
    return [count("children_in_care", n), rate]


def starts_and_ceased(facts: LaFacts, day: date) -> list[Indicator]:
    """Children whose period started / ended in the 12 months to the date, once each."""
    opened, closed = year_before(day), set()
    started = set()
    for child_id, periods in facts.periods.items():
        for period in periods:
            if opened < period.start <= day and not only_short_breaks(facts, child_id, period, period.start):
                started.add(child_id)
            if period.end is not None and opened < period.end <= day:
                closed.add(child_id)
    return [count("starts_12m", len(started)), count("ceased_12m", len(closed))]


def placement_mix(cohort: list[InCare]) -> list[Indicator]:
    counts = dict.fromkeys(PlacementCategory, 0)
    for c in cohort:
        counts[category_of(c.placement.place) if c.placement else PlacementCategory.OTHER] += 1
    return [ratio("placement_mix", n, len(cohort), str(cat)) for cat, n in counts.items()]


def provider_mix(cohort: list[InCare]) -> list[Indicator]:
    counts = dict.fromkeys(sorted(PLACE_PROVIDER), 0)
    for c in cohort:
        if c.placement and c.placement.provider in counts:
            counts[c.placement.provider] += 1
    return [ratio("provider_mix", n, len(cohort), code) for code, n in counts.items()]


def uasc_share(cohort: list[InCare]) -> Indicator:
    return ratio("uasc_share", sum(1 for c in cohort if c.child.uasc), len(cohort))
