"""Indicators of the children themselves: how many, the rate, flows, UASC.

Each indicator is a count over children (here, or kept per child by
tally.py) and a `*_from` function that turns the counts into indicators, so
both paths share the definition of each child's part and of the output.
"""

from datetime import date

from services.metrics.domain.cohort import AsOf
from services.metrics.domain.index import ChildRow
from services.metrics.domain.indicator import Indicator, count, ratio


def children_in_care(ctx: AsOf) -> list[Indicator]:
    return children_in_care_from(len(ctx.cohort), ctx.reference.population_on(ctx.day))


def children_in_care_from(n: int, population: int | None) -> list[Indicator]:
    return [
        count("children_in_care", n),
        ratio("children_in_care_rate_per_10000", n, population, "per_10000", scale=10_000),
    ]


def starts_and_ceased(ctx: AsOf) -> list[Indicator]:
    started = ceased = 0
    for row in ctx.index.children:
        began, ended = began_and_ended(row, ctx.first, ctx.day)
        started += began
        ceased += ended
    return starts_and_ceased_from(started, ceased)


def began_and_ended(row: ChildRow, first: date, day: date) -> tuple[bool, bool]:
    """Whether the child's period of care started / ended in the 12 months to D.

    Each child counts once however many periods began or ended (the DfE counts
    the first start and the last end in the year). A period of short breaks
    only (V3/V4, up to its end or D) is not a start or an end.
    """
    if row.child is None:
        return False, False
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
    return began, ended


def starts_and_ceased_from(started: int, ceased: int) -> list[Indicator]:
    return [count("starts_12m", started), count("ceased_12m", ceased)]


def uasc_share(ctx: AsOf) -> list[Indicator]:
    return uasc_share_from(sum(1 for c in ctx.cohort if c.child.uasc), len(ctx.cohort))


def uasc_share_from(uasc: int, n: int) -> list[Indicator]:
    return [ratio("uasc_share", uasc, n)]
