"""Children looked after (CLA) at a date, and what the indicators read of them.

CLA at D, as the DfE counts "looked after at 31 March": a period of care
started on or before D and not ended on or before D (a child who left care on
D is not counted on D), excluding a child whose legal status in force at the
end of D is a short-break one (V3/V4: the episode open that day is part of a
series of short-term placements), whatever statuses came before it.
The as-of context bundles the cohort with the index, the 12-month window
and the reference data, so each indicator module takes one argument.
"""

from dataclasses import dataclass
from datetime import date

from services.metrics.domain.dates import window_start
from services.metrics.domain.facts import ChildFacts, PeriodOfCare
from services.metrics.domain.index import ChildRow, FactsIndex, PlacementRow
from services.metrics.domain.reference import ReferenceForLa


@dataclass(frozen=True, slots=True)
class InCare:
    row: ChildRow
    child: ChildFacts
    period: PeriodOfCare
    placement: PlacementRow | None  # the current placement, if any


@dataclass(frozen=True, slots=True)
class AsOf:
    index: FactsIndex
    day: date
    first: date  # first day of the 12 months to `day`
    cohort: tuple[InCare, ...]
    reference: ReferenceForLa

    @property
    def la(self) -> str:
        return self.index.la


def looked_after(index: FactsIndex, day: date) -> tuple[InCare, ...]:
    return tuple(c for row in index.children if (c := in_care_on(row, day)) is not None)


def in_care_on(row: ChildRow, day: date) -> InCare | None:
    """The child as one of the CLA at `day`, or None when not looked after then."""
    if row.child is None or not row.periods:
        return None
    period = row.period_on(day)
    if period is None or period.short_break_on(day):
        return None
    return InCare(row, row.child, period.period, row.placement_on(day))


def as_of(index: FactsIndex, day: date, reference: ReferenceForLa) -> AsOf:
    return AsOf(index, day, window_start(day), looked_after(index, day), reference)
