"""Regions and their member LAs: default reference data for the services.

The metrics service also keeps regions as editable reference data (its own
tables, loaded from the same defaults); the other services read membership
from here. REGIONS_JSON ({"D2N2": {"E06000015": "Derby", ...}}) overrides it.
"""

import json
import os
from functools import cache

D2N2 = {
    "E06000015": "Derby",
    "E10000007": "Derbyshire",
    "E06000018": "Nottingham",
    "E10000024": "Nottinghamshire",
}


@cache
def _regions() -> dict[str, dict[str, str]]:
    override = os.environ.get("REGIONS_JSON")
    if override:
        loaded: dict[str, dict[str, str]] = json.loads(override)
        return loaded
    return {"D2N2": D2N2}


REGIONS = _regions()


def regions() -> dict[str, list[str]]:
    return {name: list(members) for name, members in REGIONS.items()}


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
