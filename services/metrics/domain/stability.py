"""Placement stability: 3 or more placements in a year, and long-term stability."""

from services.metrics.domain.cohort import AsOf
from services.metrics.domain.dates import age_on, months_before
from services.metrics.domain.indicator import Indicator, ratio

IN_CARE_MONTHS = 30  # "in care continuously for at least 2.5 years"
SAME_CARER_MONTHS = 24  # "living with the same carer for at least 2 years"
COHORT_AGE_BELOW = 16


def three_plus_placements(ctx: AsOf) -> list[Indicator]:
    """Share of CLA at D with 3 or more placements in the 12 months to D.

    Counted per child by `ChildRow.placements_counted`: the placement open
    when the window opens, then each new-carer start (RNE S, P, B). A move
    with the same carer (T, U) or a change of legal status only is not one.
    """
    many = sum(1 for c in ctx.cohort if c.row.placements_counted(ctx.first, ctx.day) >= 3)
    return [ratio("three_plus_placements", many, len(ctx.cohort))]


def long_term_stability(ctx: AsOf) -> list[Indicator]:
    """Of CLA at D aged under 16 and in care for 2.5 years or more, the share
    whose current carer (a run of placements linked by RNE T/U) has had them
    for 2 years or more."""
    in_care_by = months_before(ctx.day, IN_CARE_MONTHS)
    carer_by = months_before(ctx.day, SAME_CARER_MONTHS)
    eligible = stable = 0
    for c in ctx.cohort:
        if age_on(c.child.birth_month, ctx.day) >= COHORT_AGE_BELOW or c.period.start > in_care_by:
            continue
        eligible += 1
        if c.placement is not None and c.placement.carer_since <= carer_by:
            stable += 1
    return [ratio("long_term_stability", stable, eligible)]
