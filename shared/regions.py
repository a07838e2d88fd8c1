"""Default reference data: the regions and their member LAs.

The metrics service keeps regions as editable reference data; services that
only need membership read these defaults (overridable by REGIONS_JSON).
"""

import json
import os

D2N2 = {
    "E06000015": "Derby",
    "E10000007": "Derbyshire",
    "E06000018": "Nottingham",
    "E10000024": "Nottinghamshire",
}


def regions() -> dict[str, list[str]]:
    override = os.environ.get("REGIONS_JSON")
    if override:
        loaded: dict[str, list[str]] = json.loads(override)
        return loaded
    return {"D2N2": list(D2N2)}


def region_of(la: str) -> str | None:
    return next((name for name, members in regions().items() if la in members), None)
