"""Red, amber or green against the target in force at the as-of date.

Green: the target is met (at or above it when higher is better, at or below
it when lower is better). Amber: missed by no more than the tolerance. Red:
missed by more. No value, no status (the target is still shown).
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from enum import StrEnum

from services.metrics.domain.indicator import Indicator
from services.metrics.domain.reference import ReferenceForLa, TargetPoint

RATIO_TOLERANCE = 0.05  # five percentage points
RELATIVE_TOLERANCE = 0.05  # 5% of the target, for counts, rates, days and money
EPSILON = 1e-9  # 16/100 is 0.16 to the eye: float noise never flips a status


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


def tolerance(target: TargetPoint, unit: str) -> float:
    if target.amber_tolerance is not None:
        return target.amber_tolerance
    return RATIO_TOLERANCE if unit == "ratio" else RELATIVE_TOLERANCE * abs(target.value)


def rag_of(value: float | None, target: TargetPoint, unit: str) -> Rag | None:
    if value is None:
        return None
    shortfall = target.value - value if target.higher_is_better else value - target.value
    if shortfall <= EPSILON:
        return Rag.GREEN
    return Rag.AMBER if shortfall <= tolerance(target, unit) + EPSILON else Rag.RED


def with_target(ind: Indicator, target: TargetPoint | None) -> Indicator:
    if target is None:
        return ind
    status = rag_of(ind.value, target, ind.unit)
    return replace(ind, target=target.value, rag=None if status is None else status.value)


def with_targets(
    values: Iterable[Indicator], reference: ReferenceForLa, day: date
) -> list[Indicator]:
    return [with_target(v, reference.target_on(v.name, v.breakdown, day)) for v in values]
