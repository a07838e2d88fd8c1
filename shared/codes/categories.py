"""Placement categories used by the indicators and the demand models."""

from enum import StrEnum


class PlacementCategory(StrEnum):
    FOSTERING = "fostering"
    RESIDENTIAL = "residential"
    SUPPORTED = "supported"
    ADOPTION = "adoption"
    WITH_PARENTS = "with_parents"
    OTHER = "other"


_BY_PLACE: dict[str, PlacementCategory] = {
    **{f"U{i}": PlacementCategory.FOSTERING for i in range(1, 7)},
    **{c: PlacementCategory.RESIDENTIAL for c in ("K1", "K2", "R1", "S1", "P3")},
    **{c: PlacementCategory.SUPPORTED for c in ("H5", "P2", "K3")},
    **{f"A{i}": PlacementCategory.ADOPTION for i in range(3, 7)},
    "P1": PlacementCategory.WITH_PARENTS,
}


def category_of(place: str) -> PlacementCategory:
    return _BY_PLACE.get(place, PlacementCategory.OTHER)
