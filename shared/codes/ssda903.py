"""The DfE SSDA903 (children looked after) code lists, by collection year.

A collection year runs 1 April to 31 March and is named by the year it starts
in (2024 = 2024-25). Lists change between years (2025-26 added K3 and Z11-Z14
and retired H5, P2 and Z1), so every check asks for the list of the year the
event happened in.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache

CODES_VERSION = "2025-26.1"
# The collection years these lists are valid for (2024 = 2024-25): the PLACE
# list before 2025 goes back to 2012-13's; the 2025-26 lists carry into the
# year in progress until the DfE publishes 2026-27's.
FIRST_COLLECTION_YEAR = 2012
LAST_COLLECTION_YEAR = 2026

RNE = frozenset({"S", "L", "P", "T", "B", "U"})
LEGAL_STATUS = frozenset(
    {"C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3"}
)
SHORT_BREAK_LEGAL_STATUS = frozenset({"V3", "V4"})
CATEGORY_OF_NEED = frozenset({f"N{i}" for i in range(1, 9)})
PLACE_PROVIDER = frozenset({f"PR{i}" for i in range(6)})
REASON_PLACE_CHANGE = frozenset(
    {
        "CARPL",
        "CLOSE",
        "ALLEG",
        "STAND",
        "APPRR",
        "CREQB",
        "CREQO",
        "CHILD",
        "LAREQ",
        "PLACE",
        "CUSTOD",
        "OTHER",
    }
)
REASON_EPISODE_CEASED = frozenset(
    {
        "X1",
        "E11",
        "E12",
        "E13",
        "E14",
        "E15",
        "E16",
        "E17",
        "E2",
        "E3",
        "E41",
        "E45",
        "E46",
        "E47",
        "E48",
        "E4A",
        "E4B",
        "E5",
        "E6",
        "E7",
        "E8",
        "E9",
    }
)
ETHNICITY = frozenset(
    {
        "WBRI",
        "WIRI",
        "WIRT",
        "WOTH",
        "WROM",
        "MWBC",
        "MWBA",
        "MWAS",
        "MOTH",
        "AIND",
        "APKN",
        "ABAN",
        "AOTH",
        "BCRB",
        "BAFR",
        "BOTH",
        "CHNE",
        "OOTH",
        "REFU",
        "NOBT",
    }
)
SEX = frozenset({"1", "2"})
# RNE codes that mean a new carer: these count as a new placement for the
# "3 or more placements" indicator; T and U keep the carer.
NEW_CARER_REASONS = frozenset({"S", "P", "B"})

_PLACE_BEFORE_2025 = frozenset(
    {
        "A3",
        "A4",
        "A5",
        "A6",
        "H5",
        "K1",
        "K2",
        "P1",
        "P2",
        "P3",
        "R1",
        "R2",
        "R3",
        "R5",
        "S1",
        "T0",
        "T1",
        "T2",
        "T3",
        "T4",
        "U1",
        "U2",
        "U3",
        "U4",
        "U5",
        "U6",
        "Z1",
    }
)
_PLACE_FROM_2025 = (_PLACE_BEFORE_2025 - {"H5", "P2", "Z1"}) | {"K3", "Z11", "Z12", "Z13", "Z14"}


@dataclass(frozen=True)
class CodeSet:
    """Every list the journey events are checked against, for one year."""

    year: int
    rne: frozenset[str]
    legal_status: frozenset[str]
    category_of_need: frozenset[str]
    place: frozenset[str]
    place_provider: frozenset[str]
    reason_place_change: frozenset[str]
    reason_episode_ceased: frozenset[str]
    ethnicity: frozenset[str]


def collection_year(day: date) -> int:
    """The collection year a date falls in, named by its starting year."""
    return day.year if day.month >= 4 else day.year - 1


@cache
def codes_for(year: int) -> CodeSet:
    place = _PLACE_FROM_2025 if year >= 2025 else _PLACE_BEFORE_2025
    return CodeSet(
        year=year,
        rne=RNE,
        legal_status=LEGAL_STATUS,
        category_of_need=CATEGORY_OF_NEED,
        place=place,
        place_provider=PLACE_PROVIDER,
        reason_place_change=REASON_PLACE_CHANGE,
        reason_episode_ceased=REASON_EPISODE_CEASED,
        ethnicity=ETHNICITY,
    )


def all_place_codes() -> frozenset[str]:
    """Every PLACE code of any supported year (for reading history)."""
    return _PLACE_BEFORE_2025 | _PLACE_FROM_2025


def any_year(list_name: str) -> frozenset[str]:
    """Every code of a list in any supported collection year: the JSON Schemas' enum.
    The lists differ only before and from 2025-26, so those two years cover all;
    an event's own year is checked by the validator."""
    return frozenset().union(*(getattr(codes_for(year), list_name) for year in (2024, 2025)))
