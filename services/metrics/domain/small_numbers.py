"""The statistical small-number rule for shared and regional views."""

from dataclasses import replace

from services.metrics.domain.indicator import Indicator


def _small(n: float | None, below: int) -> bool:
    return n is not None and 0 < n < below


def suppress(values: list[Indicator], below: int = 6) -> list[Indicator]:
    """Hide a figure whose count is 1..below-1 (counts of children, places or cases)."""
    out = []
    for v in values:
        counted = v.numerator if v.unit in ("ratio", "count", "per_10000") else v.denominator
        if v.unit == "gbp":
            counted = v.denominator
        if _small(counted, below):
            v = replace(v, value=None, numerator=None, suppressed=True, samples=())
        out.append(v)
    return out
