"""What current placements cost, and how often external ones use a framework.

* Weekly cost: current placements of the children in care at D that have a
  weekly cost (placements without one are left out of the mean and the
  totals, and `denominator` says how many were counted); mean overall and by
  category x side, where side is own (PR1), external (PR2-PR5) or parents
  (PR0); a breakdown appears only when it has a placement with a cost.
* Spend: total weekly, and annualised = weekly x 52. Fifty-two, not 365/7
  (52.18): LAs' budget and sufficiency tables annualise weekly prices by 52,
  so the figure compares with theirs (seed 001: 143 x GBP 7,402 "approximately
  GBP 54.5m" is nearer 52 weeks than 52.18).
* Framework use: of the external placements (PR2-PR5) made in the 12 months
  to D (new carer: RNE S, P, B), the share made through a framework; overall
  and by category where there were any.
"""

from collections import Counter

from services.metrics.domain.cohort import AsOf
from services.metrics.domain.indicator import Indicator, ratio, total
from shared.codes.categories import PlacementCategory

WEEKS_PER_YEAR = 52
SIDES = ("own", "external", "parents")


def weekly_cost(ctx: AsOf) -> list[Indicator]:
    sums: dict[str, float] = {}
    counts: Counter[str] = Counter()
    for c in ctx.cohort:
        p = c.placement
        if p is None or p.facts.weekly_cost is None:
            continue
        key = f"{p.category}.{p.side}"
        sums[key] = sums.get(key, 0.0) + p.facts.weekly_cost
        counts[key] += 1
    weekly, n = sum(sums.values()), sum(counts.values())
    keys = [
        f"{cat}.{side}" for cat in PlacementCategory for side in SIDES if counts[f"{cat}.{side}"]
    ]
    return [
        ratio("weekly_cost_mean_gbp", weekly, n, "gbp"),
        *(ratio("weekly_cost_mean_gbp", sums[k], counts[k], "gbp", breakdown=k) for k in keys),
        total("weekly_spend_gbp", weekly, n),
        total("annualised_spend_gbp", weekly * WEEKS_PER_YEAR, n),
    ]


def framework_use(ctx: AsOf) -> list[Indicator]:
    made = [
        r for r in ctx.index.new_carer_placements_in(ctx.first, ctx.day) if r.side == "external"
    ]
    used: Counter[str] = Counter(str(r.category) for r in made if r.facts.framework)
    made_by: Counter[str] = Counter(str(r.category) for r in made)
    return [
        ratio("framework_use", sum(used.values()), len(made)),
        *(
            ratio("framework_use", used[str(cat)], made_by[str(cat)], breakdown=str(cat))
            for cat in PlacementCategory
            if made_by[str(cat)]
        ),
    ]
