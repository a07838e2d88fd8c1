"""Indicators of the children themselves: how many, the rate, flows, UASC."""

from services.metrics.domain.cohort import AsOf
from services.metrics.domain.indicator import Indicator, count, ratio


def children_in_care(ctx: AsOf) -> list[Indicator]:
    n = len(ctx.cohort)
    population = ctx.reference.population_on(ctx.day)
    return [
        count("children_in_care", n),
        ratio("children_in_care_rate_per_10000", n, population, "per_10000", scale=10_000),
    ]


def starts_and_ceased(ctx: AsOf) -> list[Indicator]:
    """Children whose period of care started / ended in the 12 months to D.

    Each child counts once however many periods began or ended (the DfE counts
    the first start and the last end in the year). A period of short breaks
    only (V3/V4, up to its end or D) is not a start or an end.
    """
    first, day = ctx.first, ctx.day
    started = ceased = 0
    for row in ctx.index.children:
        if row.child is None:
            continue
        began = ended = False
        for p in row.periods:
            start, end = p.period.start, p.period.end
            if (
                first <= start <= day
                and not p.period.continues_earlier
                and not p.short_breaks_only(min(end or day, day))
            ):
                began = True
            if end is not None and first <= end <= day and not p.short_breaks_only(end):
                ended = True
        started += began
        ceased += ended
    return [count("starts_12m", started), count("ceased_12m", ceased)]


def uasc_share(ctx: AsOf) -> list[Indicator]:
    uasc = sum(1 for c in ctx.cohort if c.child.uasc)
    return [ratio("uasc_share", uasc, len(ctx.cohort))]
