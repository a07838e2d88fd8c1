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

import math
from collections import Counter
from collections.abc import Mapping

from services.metrics.domain.cohort import AsOf
from services.metrics.domain.index import PlacementRow
from services.metrics.domain.indicator import Indicator, ratio, total
from shared.codes.categories import PlacementCategory

WEEKS_PER_YEAR = 52
SIDES = ("own", "external", "parents")
WEEKLY_COST_KEYS = [f"{cat}.{side}" for cat in PlacementCategory for side in SIDES]


def cost_key(p: PlacementRow) -> str:
    return f"{p.category}.{p.side}"


def weekly_cost(ctx: AsOf) -> list[Indicator]:
    costs: dict[str, list[float]] = {}
    for c in ctx.cohort:
        p = c.placement
        if p is None or p.facts.weekly_cost is None:
            continue
        costs.setdefault(cost_key(p), []).append(p.facts.weekly_cost)
    # fsum: the exact sum, rounded once, whatever the order of the children
    # (tally.py keeps the same sums exactly as fractions and must agree).
    sums = {k: math.fsum(v) for k, v in costs.items()}
    counts = {k: len(v) for k, v in costs.items()}
    weekly = math.fsum(x for v in costs.values() for x in v)
    return weekly_cost_from(sums, counts, weekly)


def weekly_cost_from(
    sums: Mapping[str, float], counts: Mapping[str, int], weekly: float
) -> list[Indicator]:
    """`sums` and `counts` by "category.side"; `weekly`: the sum of all of them."""
    n = sum(counts.values())
    keys = [k for k in WEEKLY_COST_KEYS if counts.get(k, 0)]
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
    return framework_use_from(used, made_by)


def framework_use_from(used: Mapping[str, int], made_by: Mapping[str, int]) -> list[Indicator]:
    """External placements made in the window (and those through a framework), by category."""
    return [
        ratio("framework_use", sum(used.values()), sum(made_by.values())),
        *(
            ratio("framework_use", used.get(str(cat), 0), made_by[str(cat)], breakdown=str(cat))
            for cat in PlacementCategory
            if made_by.get(str(cat), 0)
        ),
    ]
