"""A region's indicators from its LAs': sums, never averages of percentages.

For each (name, breakdown): numerators are summed and denominators are
summed, and the value is computed again from the sums as the catalogue says
(a share or mean = sum / sum; a rate per 10,000 = summed CLA / summed
population x 10,000; a count or total = the sum). If any LA lacks a
denominator that the value needs (e.g. no population held), the region's
value is None rather than wrong. Medians and percentiles cannot be summed:
they are computed again from the LAs' pooled samples. A region has no
targets of its own, so target and RAG are empty. A breakdown missing in one
LA counts as zero there (each LA only lists what it has).
"""

from collections.abc import Sequence

from services.metrics.domain.catalogue import spec_of
from services.metrics.domain.indicator import Indicator, Kind
from services.metrics.domain.quantiles import quantile_indicator


def aggregate_region(per_la: Sequence[Sequence[Indicator]]) -> list[Indicator]:
    groups: dict[tuple[str, str | None], list[Indicator]] = {}
    for values in per_la:
        for v in values:
            groups.setdefault(v.key, []).append(v)
    return [_combine(parts) for parts in groups.values()]


def _sum(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return float(sum(present)) if present else None


def _combine(parts: list[Indicator]) -> Indicator:
    first = parts[0]
    spec = spec_of(first.name)
    if spec.kind is Kind.QUANTILE:
        pooled = [s for p in parts for s in p.samples]
        return quantile_indicator(first.name, pooled, spec.quantile or 0.5, first.breakdown)
    num = _sum([p.numerator for p in parts])
    if spec.kind is Kind.COUNT:
        return Indicator(first.name, num, num, None, first.unit, first.breakdown)
    den = _sum([p.denominator for p in parts])
    if spec.kind is Kind.TOTAL:
        return Indicator(first.name, num, num, den, first.unit, first.breakdown)
    missing = any(p.denominator is None for p in parts)
    value = None if missing or num is None or not den else num * spec.scale / den
    return Indicator(first.name, value, num, None if missing else den, first.unit, first.breakdown)
