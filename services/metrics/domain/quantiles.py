"""Medians and percentiles of durations, and their indicators."""

import math
import statistics
from collections.abc import Sequence

from services.metrics.domain.indicator import Indicator


def quantile(values: Sequence[float], q: float) -> float | None:
    """q = 0.5: the median (mean of the two middle values when even);
    otherwise the nearest-rank percentile (the ceil(q*n)-th smallest)."""
    if not values:
        return None
    if q == 0.5:
        return float(statistics.median(values))
    ordered = sorted(values)
    return float(ordered[max(1, math.ceil(q * len(ordered))) - 1])


def quantile_indicator(
    name: str, samples: Sequence[float], q: float, breakdown: str | None = None
) -> Indicator:
    return Indicator(
        name, quantile(samples, q), None, len(samples), "days", breakdown, samples=tuple(samples)
    )
