"""Red, amber or green against the target in force."""

from dataclasses import replace

from services.metrics.domain.indicator import Indicator
from services.metrics.domain.reference import TargetPoint

# Amber: short of the target by at most five points of a ratio, or 5% of a count.
AMBER_BAND = 0.05


def rag(value: float | None, target: TargetPoint) -> str | None:
    if value is None:
        return None
    gap = value - target.value if target.higher_is_better else target.value - value
    band = AMBER_BAND if abs(target.value) <= 1 else AMBER_BAND * abs(target.value)
    if gap >= 0:
        return "green"
    return "amber" if gap >= -band else "red"


def with_target(ind: Indicator, target: TargetPoint | None) -> Indicator:
    if target is None:
        return ind
    return replace(ind, target=target.value, rag=rag(ind.value, target))
