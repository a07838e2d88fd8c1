"""Demand by placement category, and supply, from what the metrics service holds.

Used for the sufficiency gap when the forecast service has no forecast by
category (it needs three 31 March points of each category's series, which a
new LA's live history does not yet have) and for a region.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from services.metrics.domain.facts import HomeFacts
from services.metrics.domain.indicator import Indicator
from services.metrics.domain.reference import TargetPoint
from services.metrics.domain.report.cells import target_in_force
from services.metrics.domain.report.inputs import Forecast, PipelineHome, SupplyRow
from services.metrics.domain.report.supply import CATEGORY_OF_KIND
from shared.events.common import HomeProvider

RESIDENTIAL, FOSTERING = "residential", "fostering"


def split_by_mix(
    total: Forecast, current: Sequence[Indicator], targets: Sequence[TargetPoint]
) -> list[tuple[int, dict[str, float]]]:
    """Each forecast year's mid split by today's placement mix, residential held to
    the target path in force that 31 March (the excess moves to fostering)."""
    shares = {
        i.breakdown: i.value
        for i in current
        if i.name == "placement_mix" and i.breakdown and i.value is not None
    }
    out = []
    for p in total.points:
        mid = max(p.mid, 0.0)  # a straight line can run below zero children
        children = {c: mid * s for c, s in shares.items() if c != "not_known" and s}
        cap = target_in_force(targets, "placement_mix", RESIDENTIAL, p.period)
        excess = children.get(RESIDENTIAL, 0.0) - (cap * mid if cap is not None else mid)
        if excess > 0:
            children[RESIDENTIAL] -= excess
            children[FOSTERING] = children.get(FOSTERING, 0.0) + excess
        out.append((p.period.year, children))
    return out


def _own(home: HomeFacts, las: Sequence[str], day: date) -> bool:
    """Owned by one of `las` and run by it, as registered on `day`."""
    return home.provider_on(day) == HomeProvider.OWN_LA and home.owner_la_on(day) in las


def own_capacity(homes: Iterable[HomeFacts], las: Sequence[str], day: date) -> dict[str, float]:
    places: dict[str, float] = {}
    for h in homes:
        if _own(h, las, day) and h.registered_on(day):
            category = CATEGORY_OF_KIND.get(h.kind_on(day), "other")
            places[category] = places.get(category, 0.0) + h.places_on(day)
    return places


def pipeline(homes: Iterable[HomeFacts], las: Sequence[str], day: date) -> tuple[PipelineHome, ...]:
    """Own homes registered to open after the date (a home the LA has told us of ahead)."""
    return tuple(
        sorted(
            (
                PipelineHome(
                    h.registered_at,
                    CATEGORY_OF_KIND.get(h.kind_on(h.registered_at), "other"),
                    h.registered_places,
                )
                for h in homes
                if _own(h, las, h.registered_at) and h.registered_at > day
            ),
            key=lambda p: (p.opens, p.category),
        )
    )


def supply_table(homes: Iterable[HomeFacts], day: date) -> tuple[SupplyRow, ...]:
    """Homes registered at the date and their places, by provider type and kind."""
    seen: set[str] = set()
    counts: dict[tuple[str, str], list[int]] = {}
    for h in homes:
        if h.home_id in seen or not h.registered_on(day):
            continue
        seen.add(h.home_id)
        row = counts.setdefault((h.provider_on(day), h.kind_on(day)), [0, 0])
        row[0] += 1
        row[1] += h.places_on(day)
    return tuple(SupplyRow(p, k, n, places) for (p, k), (n, places) in sorted(counts.items()))
