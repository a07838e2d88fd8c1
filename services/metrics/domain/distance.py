"""Distance between a child's home and their placement (DfE definition)."""

import math

from services.metrics.domain.facts import GridPoint

METRES_PER_MILE = 1609.3
NEAR_MILES = 20.0


def miles_between(home: GridPoint, placement: GridPoint) -> float:
    """Straight line between grid points, in miles, rounded half-up to 0.1 mile."""
    miles = math.dist(home, placement) / METRES_PER_MILE
    return math.floor(miles * 10 + 0.5) / 10


def placement_miles(
    home: GridPoint | None, placement: GridPoint | None, uasc: bool
) -> float | None:
    """None is "not known": a location is missing, or the child is UASC."""
    if uasc or home is None or placement is None:
        return None
    return miles_between(home, placement)
