"""How far from home, and whether inside the LA (DfE distance definition)."""

import math

from services.metrics.domain.cohort import InCare
from services.metrics.domain.indicator import Indicator, ratio

METRES_PER_MILE = 1609.3
LINE_MILES = 20.0


def miles(home: tuple[int, int], placement: tuple[int, int]) -> float:
    """Straight-line distance between grid points, rounded to 0.1 mile."""
    return round(math.dist(home, placement) / METRES_PER_MILE, 1)


def distance_of(c: InCare) -> float | None:
    """None is 'not known': no location, or UASC (whose home is not in England)."""
    if c.child.uasc or c.child.home is None or c.placement is None or c.placement.location is None:
        return None
    return miles(c.child.home, c.placement.location)


def within_20_miles(cohort: list[InCare]) -> list[Indicator]:
    distances = [distance_of(c) for c in cohort]
    near = sum(1 for d in distances if d is not None and d <= LINE_MILES)
    unknown = sum(1 for d in distances if d is None)
    return [ratio("within_20_miles", near, len(cohort)),
            ratio("distance_not_known", unknown, len(cohort))]


def inside_la_boundary(cohort: list[InCare], la: str) -> Indicator:
    inside = sum(1 for c in cohort if c.placement and c.placement.placement_la == la)
    return ratio("inside_la_boundary", inside, len(cohort))
