"""The simulated world's state: children, placements, slots and their codes.

A *slot* is a placement category split by who provides it (own LA or
bought in); the calibration gives a target share of children in care for
each. Codes follow SSDA903 for the collection year of the date they are used
on (supported accommodation is H5/P2 up to 2024-25 and K3 from 2025-26).

NEAR_BASE, MOVE_RATE and `eligibility` are ASSUMPTIONS (the seeds give only
the resulting shares); the weekly controllers (control.py) and the live pulls
in world.py steer them towards each LA's published figures.
"""

import random
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from shared.codes.ssda903 import collection_year
from sufficiency.simulator.geography import Place


class Slot(StrEnum):
    FOSTER_KIN = "foster_kin"
    FOSTER_OWN = "foster_own"
    FOSTER_EXT = "foster_ext"
    RES_OWN = "res_own"
    RES_EXT = "res_ext"
    SUPP_OWN = "supp_own"
    SUPP_EXT = "supp_ext"
    ADOPTION = "adoption"
    PARENTS = "parents"
    OTHER = "other"


HOME_SLOTS = (
    Slot.FOSTER_OWN,
    Slot.FOSTER_EXT,
    Slot.RES_OWN,
    Slot.RES_EXT,
    Slot.SUPP_OWN,
    Slot.SUPP_EXT,
)
OWN_SLOTS = (Slot.FOSTER_OWN, Slot.RES_OWN, Slot.SUPP_OWN)
EXTERNAL_OF = {
    Slot.FOSTER_OWN: Slot.FOSTER_EXT,
    Slot.RES_OWN: Slot.RES_EXT,
    Slot.SUPP_OWN: Slot.SUPP_EXT,
}
# Slots a placements team chooses between (adoption follows the care plan).
CHOOSABLE = tuple(s for s in Slot if s is not Slot.ADOPTION)
FOSTERING = (Slot.FOSTER_KIN, Slot.FOSTER_OWN, Slot.FOSTER_EXT)
RESIDENTIAL = (Slot.RES_OWN, Slot.RES_EXT)
SUPPORTED = (Slot.SUPP_OWN, Slot.SUPP_EXT)
SOUGHT = {
    Slot.FOSTER_OWN: "fostering",
    Slot.FOSTER_EXT: "fostering",
    Slot.RES_OWN: "residential",
    Slot.RES_EXT: "residential",
    Slot.SUPP_OWN: "supported",
    Slot.SUPP_EXT: "supported",
    Slot.OTHER: "other",
}
# Base chance, per slot, that a placement is within 20 miles of home; a
# controller shifts all of them to meet the LA's published share.
NEAR_BASE = {
    Slot.FOSTER_KIN: 0.92,
    Slot.FOSTER_OWN: 0.88,
    Slot.FOSTER_EXT: 0.62,
    Slot.RES_OWN: 0.92,
    Slot.RES_EXT: 0.38,
    Slot.SUPP_OWN: 0.92,
    Slot.SUPP_EXT: 0.62,
    Slot.ADOPTION: 0.5,
    Slot.PARENTS: 1.0,
    Slot.OTHER: 0.5,
}
# Moves a year per placement, before the child's stability and the controller.
MOVE_RATE = {
    Slot.FOSTER_KIN: 0.18,
    Slot.FOSTER_OWN: 0.32,
    Slot.FOSTER_EXT: 0.36,
    Slot.RES_OWN: 0.55,
    Slot.RES_EXT: 0.65,
    Slot.SUPP_OWN: 0.45,
    Slot.SUPP_EXT: 0.5,
    Slot.ADOPTION: 0.02,
    Slot.PARENTS: 0.2,
    Slot.OTHER: 2.5,
}


def eligibility(slot: Slot, age: int, uasc: bool) -> float:
    """How suitable a slot is for a child of this age (0 = never)."""
    if slot in FOSTERING:
        if uasc and slot is Slot.FOSTER_KIN:
            return 0.0
        if age >= 16:
            return 0.3 if uasc else 0.55
        return 1.0
    if slot in RESIDENTIAL:
        if age < 8:
            return 0.0
        scale = 0.12 if age < 12 else 1.0
        return scale * (0.15 if uasc else 1.0)
    if slot in SUPPORTED:
        if age < 16:
            return 0.0
        return 3.0 if uasc else 1.0
    if slot is Slot.PARENTS:
        return 0.0 if uasc else 1.0
    if slot is Slot.OTHER:
        return 0.3 if uasc else 1.0
    return 0.0  # adoption is never chosen, it is planned


def supported_code(rng: random.Random, day: date) -> str:
    if collection_year(day) >= 2025:
        return "K3"  # supported accommodation, from 2025-26
    return "H5" if rng.random() < 0.85 else "P2"


def foster_code(rng: random.Random, slot: Slot, age: int, long_term: bool) -> str:
    if slot is Slot.FOSTER_KIN:
        return "U1" if long_term else ("U2" if age < 2 and rng.random() < 0.05 else "U3")
    if long_term:
        return "U4"
    return "U5" if age < 2 and rng.random() < 0.06 else "U6"


def adoption_code(rng: random.Random, from_foster_carer: bool) -> str:
    with_consent = rng.random() < 0.15
    if from_foster_carer:
        return "A3" if with_consent else "A5"
    return "A4" if with_consent else "A6"


def other_code(rng: random.Random, age: int) -> str:
    """R3 parent and child, R2 NHS, R5 young offender institution (15+)."""
    roll = rng.random()
    if age >= 15 and roll < 0.2:
        return "R5"
    return "R3" if roll < 0.6 else "R2"


@dataclass(slots=True, eq=False)
class Placement:
    id: str
    slot: Slot
    code: str
    provider: str
    start: date
    home_id: str | None
    location: tuple[int, int] | None
    postcode: str | None
    la: str | None
    cost: float
    framework: str | None
    near: bool | None  # within 20 miles of home; None when not known
    token: int


@dataclass(slots=True, eq=False)
class PendingMove:
    """A planned move: a referral is open and (maybe) a vacancy is held."""

    referral_id: str
    slot: Slot
    due: date
    home_id: str | None
    vacancy_id: str | None
    reason: str
    token: int


@dataclass(slots=True, eq=False)
class Child:
    id: str
    dob: date
    sex: int
    ethnicity: str
    uasc: bool
    home: Place | None  # None for UASC: distance not known
    disabled: bool
    unstable: bool
    in_care: bool = False
    admitted: date | None = None
    left_on: date | None = None
    legal_status: str = "V2"
    need: str = "N1"
    needs: tuple[str, ...] = ()
    sibling_size: int | None = None
    exit_on: date | None = None
    exit_token: int = 0
    ls_token: int = 0
    adoption: bool = False
    remand: bool = False
    placement: Placement | None = None
    previous_slot: Slot | None = None  # of the placement that ended last
    placement_token: int = 0
    pending: PendingMove | None = None
    # placements of the current period: (start, end, new carer)
    history: list[tuple[date, date | None, bool]] = field(default_factory=list)

    def age_on(self, day: date) -> int:
        years = day.year - self.dob.year
        if (day.month, day.day) < (self.dob.month, self.dob.day):
            years -= 1
        return years

    def eighteenth(self) -> date:
        try:
            return self.dob.replace(year=self.dob.year + 18)
        except ValueError:  # 29 February
            return date(self.dob.year + 18, 3, 1)

    @property
    def grid(self) -> tuple[int, int] | None:
        return None if self.home is None else (self.home.easting, self.home.northing)
