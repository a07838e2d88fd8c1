"""Where the children in care live: placement and provider mix, distance, LA.

Every share has the children in care at D as its denominator. A child with
no current placement is counted in the "not_known" bucket of each mix and as
distance not known / not inside the LA, never dropped from the denominator.
"""

from collections import Counter

from services.metrics.domain.cohort import AsOf
from services.metrics.domain.distance import NEAR_MILES
from services.metrics.domain.indicator import Indicator, ratio
from shared.codes.categories import PlacementCategory
from shared.codes.ssda903 import PLACE_PROVIDER

NOT_KNOWN = "not_known"


def _mix(name: str, buckets: list[str], of_each_child: list[str]) -> list[Indicator]:
    counts = Counter(of_each_child)
    n = len(of_each_child)
    return [ratio(name, counts.get(b, 0), n, breakdown=b) for b in [*buckets, NOT_KNOWN]]


def placement_mix(ctx: AsOf) -> list[Indicator]:
    """Share of CLA at D in each placement category (shared.codes.categories)."""
    return _mix(
        "placement_mix",
        [str(c) for c in PlacementCategory],
        [str(c.placement.category) if c.placement else NOT_KNOWN for c in ctx.cohort],
    )


def provider_mix(ctx: AsOf) -> list[Indicator]:
    """Share of CLA at D by PLACE_PROVIDER of the current placement (PR0-PR5)."""
    return _mix(
        "provider_mix",
        sorted(PLACE_PROVIDER),
        [c.placement.facts.provider if c.placement else NOT_KNOWN for c in ctx.cohort],
    )


def distance(ctx: AsOf) -> list[Indicator]:
    """Within 20 miles (rounded to 0.1 mile) and not known (no location, or UASC)."""
    near = unknown = 0
    for c in ctx.cohort:
        miles = c.placement.miles if c.placement else None
        if miles is None:
            unknown += 1
        elif miles <= NEAR_MILES:
            near += 1
    n = len(ctx.cohort)
    return [ratio("within_20_miles", near, n), ratio("distance_not_known", unknown, n)]


def inside_la_boundary(ctx: AsOf) -> list[Indicator]:
    """Placed in a home located in the responsible LA (placement_la, else the home's)."""
    inside = sum(1 for c in ctx.cohort if c.placement and c.placement.inside_la)
    return [ratio("inside_la_boundary", inside, len(ctx.cohort))]
