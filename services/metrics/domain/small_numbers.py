"""The statistical small-number rule for public, shared and regional views.

A count of children, placements or referrals from 1 to `below - 1` (default
1-5) is suppressed, with every figure that would reveal it: the value, the
numerator (and, when it is the small count, the denominator) and any
samples. Zero is not suppressed. Which figures are counts of people comes
from the catalogue: supply counts (vacancies, places) are never suppressed.
An LA reading its own figures gets them unsuppressed (the caller decides).
"""

from collections.abc import Sequence
from dataclasses import replace

from services.metrics.domain.catalogue import spec_of
from services.metrics.domain.indicator import Indicator

DEFAULT_BELOW = 6  # suppress 1..5


def is_small(n: float | None, below: int) -> bool:
    return n is not None and 0 < n < below


def suppress(values: Sequence[Indicator], below: int = DEFAULT_BELOW) -> list[Indicator]:
    out = []
    for v in values:
        spec = spec_of(v.name)
        small_num = spec.numerator_counts and is_small(v.numerator, below)
        small_den = spec.denominator_counts and is_small(v.denominator, below)
        if small_num or small_den:
            v = replace(
                v,
                value=None,
                numerator=None,
                denominator=None if small_den else v.denominator,
                suppressed=True,
                samples=(),
            )
        out.append(v)
    return out
