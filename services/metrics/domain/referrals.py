"""How long finding a home takes, and how often it is an emergency."""

import statistics
from datetime import date

from services.metrics.domain.care import year_before
from services.metrics.domain.facts import LaFacts, is_open
from services.metrics.domain.indicator import Indicator, count, mean, ratio
from shared.codes.ssda903 import NEW_CARER_REASONS


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0-100); simple to explain and to reproduce."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def quantile_indicator(name: str, samples: list[float], q: float) -> Indicator:
    value = statistics.median(samples) if q == 50 and samples else percentile(samples, q)
    return Indicator(name, value, None, len(samples), "days", samples=tuple(samples))


def referral_to_placement(facts: LaFacts, day: date) -> list[Indicator]:
    opened = year_before(day)
    waits: list[float] = []
    for ref in facts.referrals.values():
        if ref.outcome != "placed" or ref.closed is None or not opened < ref.closed <= day:
            continue
        placement = facts.placements.get(ref.placement_id or "")
        placed_on = placement.start if placement else ref.closed
        waits.append(float((placed_on - ref.received).days))
    still_open = [ref for ref in facts.referrals.values() if is_open(ref.received, ref.closed, day)]
    ages = sum((day - ref.received).days for ref in still_open)
    return [
        quantile_indicator("referral_to_placement_median_days", waits, 50),
        quantile_indicator("referral_to_placement_p90_days", waits, 90),
        count("open_referrals", len(still_open)),
        mean("open_referral_mean_age_days", ages, len(still_open), "days"),
    ]


def emergency_placements(facts: LaFacts, day: date) -> Indicator:
    opened = year_before(day)
    new = [p for p in facts.placements.values()
           if opened < p.start <= day and p.reason in NEW_CARER_REASONS]
    return ratio("emergency_placement_ratio", sum(1 for p in new if p.emergency), len(new))
