"""Answering indicator questions for an LA or a region, as of a date."""

from collections.abc import Sequence
from datetime import date

from services.metrics.domain.indicators import Indicator
from services.metrics.domain.series import points_between
from services.metrics.domain.small_numbers import suppress
from services.metrics.service_layer.live import LiveProjection


class UnknownScope(LookupError):
    pass


def for_scope(
    live: LiveProjection,
    regions: dict[str, list[str]],
    la: str | None,
    region: str | None,
    as_of: date,
    suppress_below: int,
    published: bool = True,
) -> list[Indicator]:
    """An LA's figures (whole for the LA itself, else published: suppressed), or a
    region's aggregates (always published)."""
    if la is not None:
        values = live.indicators(la, as_of)
        return suppress(values, suppress_below) if published else values
    if region is None or region not in regions:
        raise UnknownScope(f"unknown region {region!r}")
    return suppress(live.region(regions[region], as_of), suppress_below)


def series(
    live: LiveProjection,
    regions: dict[str, list[str]],
    name: str,
    breakdown: str | None,
    la: str | None,
    region: str | None,
    start: date,
    end: date,
    interval: str,
    suppress_below: int,
    published: bool = True,
) -> list[tuple[date, Indicator | None]]:
    out = []
    for day in points_between(start, end, interval):
        values = for_scope(live, regions, la, region, day, suppress_below, published)
        out.append((day, pick(values, name, breakdown)))
    return out


def pick(values: Sequence[Indicator], name: str, breakdown: str | None) -> Indicator | None:
    for ind in values:
        if ind.name == name and (ind.breakdown or None) == (breakdown or None):
            return ind
    return None
