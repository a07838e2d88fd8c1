"""What current placements cost, and how often external ones use a framework."""

from collections import defaultdict
from datetime import date

from services.metrics.domain.care import year_before
from services.metrics.domain.cohort import InCare
from services.metrics.domain.facts import LaFacts
from services.metrics.domain.indicator import Indicator, count, mean, ratio
from shared.codes.categories import category_of
from shared.codes.ssda903 import NEW_CARER_REASONS

# 52 weeks, as LAs' own budget tables annualise weekly prices (seed 001).
WEEKS_PER_YEAR = 52
OWN_PROVIDER = "PR1"
NOT_EXTERNAL = {"PR0", "PR1"}


def weekly_cost(cohort: list[InCare]) -> list[Indicator]:
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for c in cohort:
        p = c.placement
        if p is None or p.weekly_cost is None:
            continue
        key = f"{category_of(p.place)}/{'own' if p.provider == OWN_PROVIDER else 'external'}"
        totals[key] += p.weekly_cost
        counts[key] += 1
    weekly = sum(totals.values())
    return [
        mean("weekly_cost_mean_gbp", weekly, sum(counts.values()), "gbp"),
        *(mean("weekly_cost_mean_gbp", totals[k], counts[k], "gbp", k) for k in sorted(totals)),
        count("weekly_spend_gbp", weekly, unit="gbp"),
        count("annualised_spend_gbp", weekly * WEEKS_PER_YEAR, unit="gbp"),
    ]


def framework_use(facts: LaFacts, day: date) -> Indicator:
    opened = year_before(day)
    external = [p for p in facts.placements.values()
                if opened < p.start <= day and p.reason in NEW_CARER_REASONS
                and p.provider not in NOT_EXTERNAL]
    return ratio("framework_use", sum(1 for p in external if p.framework), len(external))
