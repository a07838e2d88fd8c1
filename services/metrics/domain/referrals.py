"""How long finding a home takes, what is still waiting, how often it is urgent.

* Referral to placement: for referrals closed as placed in the 12 months to
  D, days from received to the start of the placement that closed it (the
  closing date when that placement is unknown). Median as usual (mean of the
  two middle values); 90th percentile by nearest rank. Both carry their
  samples so a region can pool them (medians cannot be summed).
* Open referrals at D: received on or before D, not closed on or before D;
  their mean age in days.
* Emergency ratio: of the placements made in the 12 months to D (a new carer:
  RNE S, P or B; a same-carer move is no new placement), the share flagged
  emergency.
"""

from services.metrics.domain.cohort import AsOf
from services.metrics.domain.indicator import Indicator, count, ratio
from services.metrics.domain.quantiles import quantile_indicator


def referral_to_placement(ctx: AsOf) -> list[Indicator]:
    waits = [p.days for p in ctx.index.placed_referrals_in(ctx.first, ctx.day)]
    return [
        quantile_indicator("referral_to_placement_median_days", waits, 0.5),
        quantile_indicator("referral_to_placement_p90_days", waits, 0.9),
    ]


def open_referrals(ctx: AsOf) -> list[Indicator]:
    day = ctx.day
    ages = [
        (day - r.received).days
        for r in ctx.index.referrals
        if r.received <= day and (r.closed is None or r.closed > day)
    ]
    return [
        count("open_referrals", len(ages)),
        ratio("open_referral_mean_age_days", sum(ages), len(ages), "days"),
    ]


def emergency_placements(ctx: AsOf) -> list[Indicator]:
    made = ctx.index.new_carer_placements_in(ctx.first, ctx.day)
    return emergency_placements_from(sum(1 for r in made if r.facts.emergency), len(made))


def emergency_placements_from(urgent: int, made: int) -> list[Indicator]:
    return [ratio("emergency_placement_ratio", urgent, made)]
