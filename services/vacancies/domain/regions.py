"""Regions and their member LAs (reference data, here until it has a shared home)."""

REGIONS: dict[str, dict[str, str]] = {
    "D2N2": {
        "E06000015": "Derby",
        "E10000007": "Derbyshire",
        "E06000018": "Nottingham",
        "E10000024": "Nottinghamshire",
    },
}


def region_of(la: str | None) -> str | None:
    """The region an LA belongs to, if any."""
    if la is None:
        return None
    return next((name for name, members in REGIONS.items() if la in members), None)


def members(region: str) -> frozenset[str]:
    return frozenset(REGIONS.get(region, {}))


def same_region(la: str, other: str) -> bool:
    region = region_of(la)
    return region is not None and region == region_of(other)
