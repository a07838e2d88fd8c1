"""Where the children in care live: placement and provider mix, distance, LA.

Every share has the children in care at D as its denominator. A child with
no current placement is counted in the "not_known" bucket of each mix and as
distance not known / not inside the LA, never dropped from the denominator.
Each child's bucket is one function here, used both by the pass over the
cohort and by tally.py's per-child parts.
"""

from collections import Counter
from collections.abc import Mapping

from services.metrics.domain.cohort import AsOf
from services.metrics.domain.distance import NEAR_MILES
from services.metrics.domain.index import PlacementRow
from services.metrics.domain.indicator import Indicator, ratio
from shared.codes.categories import PlacementCategory
from shared.codes.ssda903 import PLACE_PROVIDER

NOT_KNOWN = "not_known"
CATEGORIES = [str(c) for c in PlacementCategory]
PROVIDERS = sorted(PLACE_PROVIDER)


def category_of(placement: PlacementRow | None) -> str:
    return str(placement.category) if placement else NOT_KNOWN


def provider_of(placement: PlacementRow | None) -> str:
    return placement.facts.provider if placement else NOT_KNOWN


def near_or_unknown(placement: PlacementRow | None) -> tuple[bool, bool]:
    """(within 20 miles, distance not known) of the current placement."""
    miles = placement.miles if placement else None
    if miles is None:
        return False, True
    return miles <= NEAR_MILES, False


def inside_la(placement: PlacementRow | None) -> bool:
    return placement is not None and placement.inside_la


def mix_from(name: str, buckets: list[str], counts: Mapping[str, int], n: int) -> list[Indicator]:
    return [ratio(name, counts.get(b, 0), n, breakdown=b) for b in [*buckets, NOT_KNOWN]]


def placement_mix(ctx: AsOf) -> list[Indicator]:
    """Share of CLA at D in each placement category (shared.codes.categories)."""
    counts = Counter(category_of(c.placement) for c in ctx.cohort)
    return mix_from("placement_mix", CATEGORIES, counts, len(ctx.cohort))


def provider_mix(ctx: AsOf) -> list[Indicator]:
    """Share of CLA at D by PLACE_PROVIDER of the current placement (PR0-PR5)."""
    counts = Counter(provider_of(c.placement) for c in ctx.cohort)
    return mix_from("provider_mix", PROVIDERS, counts, len(ctx.cohort))


def distance(ctx: AsOf) -> list[Indicator]:
    """Within 20 miles (rounded to 0.1 mile) and not known (no location, or UASC)."""
    near = unknown = 0
    for c in ctx.cohort:
        is_near, is_unknown = near_or_unknown(c.placement)
        near += is_near
        unknown += is_unknown
    return distance_from(near, unknown, len(ctx.cohort))


def distance_from(near: int, unknown: int, n: int) -> list[Indicator]:
    return [ratio("within_20_miles", near, n), ratio("distance_not_known", unknown, n)]


def inside_la_boundary(ctx: AsOf) -> list[Indicator]:
    """Placed in a home located in the responsible LA (placement_la, else the home's)."""
    inside = sum(1 for c in ctx.cohort if inside_la(c.placement))
    return inside_la_boundary_from(inside, len(ctx.cohort))


def inside_la_boundary_from(inside: int, n: int) -> list[Indicator]:
    return [ratio("inside_la_boundary", inside, n)]
