"""Random draws for a child entering care: age, stay, legal status, needs.

A `Shape` is a child's care episode before it is placed on the calendar:
age at entry, length of stay, legal status, and whether the plan is
adoption or the child is remanded. `draw_shape` is used both for new
admissions and (length-biased) for the children already in care when a
simulation opens, so both come from one model.
"""

import math
import random
from dataclasses import dataclass

from sufficiency.simulator.calibration import (
    ADOPTION_PLACEMENT_DAYS,
    DERBYSHIRE_CAL,
    DURATION_BANDS_YEARS,
    DURATION_WEIGHTS,
    UASC_AGE_16_PLUS,
    UASC_MALE,
    LaCalibration,
)

YEAR = 365.25
ADULT_DAYS = int(18 * YEAR)
_AGE_RANGES = (
    (0, 365),
    (365, int(5 * YEAR)),
    (int(5 * YEAR), int(10 * YEAR)),
    (int(10 * YEAR), int(16 * YEAR)),
    (int(16 * YEAR), ADULT_DAYS - 20),
)
_ETHNIC_CODES = (
    (("WBRI", 0.86), ("WOTH", 0.08), ("WIRI", 0.02), ("WROM", 0.03), ("WIRT", 0.01)),
    (("MWBC", 0.40), ("MWBA", 0.15), ("MWAS", 0.20), ("MOTH", 0.25)),
    (("APKN", 0.40), ("AIND", 0.25), ("ABAN", 0.10), ("AOTH", 0.25)),
    (("BCRB", 0.35), ("BAFR", 0.50), ("BOTH", 0.15)),
    (("OOTH", 0.80), ("CHNE", 0.20)),
    (("REFU", 0.5), ("NOBT", 0.5)),
)
_UASC_ETHNIC = (("AOTH", 0.35), ("BAFR", 0.30), ("OOTH", 0.25), ("BOTH", 0.05), ("WOTH", 0.05))


# ASSUMPTION: chance, by age band at entry, that a child stays until 18 (older
# children rarely go home or are adopted); the rest draw from the seed 003
# duration bands. Tuned so that the share aged 16+ in care comes out near the
# seeds' 25-27%.
STAY_TO_18 = (0.02, 0.05, 0.15, 0.5, 0.75)


@dataclass(slots=True)
class Shape:
    age_days: int
    duration: int  # days from admission to leaving care (capped at the 18th birthday)
    uasc: bool
    legal_status: str
    remand: bool
    adoption: bool
    adopt_at: int  # days from admission to the adoption placement (adoption only)
    base_stay: float = 0.0  # an ordinary stay before scaling, in years (0 = not scaled)


def pick(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    roll = rng.random() * sum(w for _, w in pairs)
    for value, weight in pairs:
        roll -= weight
        if roll < 0:
            return value
    return pairs[-1][0]


def non_uasc_age_profile(cal: LaCalibration) -> tuple[float, ...]:
    """The admissions age profile without UASC.

    The profile is Derbyshire's 2023-24 admissions (calibration), which
    include UASC (15.9% of admissions, seed 001); those are taken out of the
    10-15 and 16+ bands as UASC_AGE_16_PLUS says.
    """
    uasc = DERBYSHIRE_CAL.uasc_admissions
    minus = (0.0, 0.0, 0.0, uasc * (1 - UASC_AGE_16_PLUS), uasc * UASC_AGE_16_PLUS)
    raw = [max(0.0, a - m) for a, m in zip(cal.age_admissions, minus, strict=True)]
    total = sum(raw)
    return tuple(r / total for r in raw)


def poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class ShapeDraw:
    """Draws episode shapes for one LA; `scale` stretches ordinary stays."""

    def __init__(self, cal: LaCalibration) -> None:
        self.cal = cal
        self.ages = non_uasc_age_profile(cal)
        ls = cal.ls_admissions
        self.ls_pairs = tuple((k, float(v)) for k, v in ls.items())
        self.scale = 1.0
        self.adopt_q = 0.3

    def age_days(self, rng: random.Random, uasc: bool) -> int:
        if uasc:
            lo, hi = (
                _AGE_RANGES[4]
                if rng.random() < UASC_AGE_16_PLUS
                else (int(14 * YEAR), int(16 * YEAR))
            )
        else:
            lo, hi = rng.choices(_AGE_RANGES, weights=self.ages)[0]
        return rng.randint(lo, hi - 1)

    def base_stay(self, rng: random.Random) -> float:
        lo, hi = rng.choices(DURATION_BANDS_YEARS, weights=DURATION_WEIGHTS)[0]
        return rng.uniform(lo, hi)

    def stay(self, rng: random.Random) -> int:
        return max(1, int(self.base_stay(rng) * YEAR * self.scale))

    def shape(self, rng: random.Random, uasc: bool) -> Shape:
        age = self.age_days(rng, uasc)
        left = ADULT_DAYS - age  # days to the 18th birthday
        if uasc:
            # most stay until 18; some leave early (age assessment, transfer)
            stay = left if rng.random() < 0.85 else int(left * rng.uniform(0.1, 0.9))
            return Shape(age, max(1, min(stay, left)), True, "V2", False, False, 0)
        status = pick(rng, self.ls_pairs)
        if status == "J2" and age < 10 * YEAR:
            status = "C1"
        if status == "J2":
            return Shape(age, rng.randint(14, 120), False, status, True, False, 0)
        if age < 4 * YEAR and rng.random() < self.adopt_q:
            adopt_at = rng.randint(*ADOPTION_PLACEMENT_DAYS)
            stay = adopt_at + rng.randint(120, 300)
            status = status if status in ("L1", "L2") else "C1"
            return Shape(age, stay, False, status, False, True, adopt_at)
        band = next(k for k, (lo, hi) in enumerate(_AGE_RANGES) if age < hi)
        if rng.random() < STAY_TO_18[band]:
            return Shape(age, left, False, status, False, False, 0)
        base = self.base_stay(rng)
        stay = max(1, int(base * YEAR * self.scale))
        return Shape(age, min(stay, left), False, status, False, False, 0, base)


def sex(rng: random.Random, cal: LaCalibration, uasc: bool) -> int:
    return 1 if rng.random() < (UASC_MALE if uasc else cal.male) else 2


def ethnicity(rng: random.Random, cal: LaCalibration, uasc: bool) -> str:
    if uasc:
        return pick(rng, _UASC_ETHNIC)
    group = rng.choices(range(6), weights=cal.ethnic)[0]
    return pick(rng, _ETHNIC_CODES[group])


def need(rng: random.Random, cal: LaCalibration, uasc: bool) -> str:
    """Category of need; UASC are N8 (absent parenting), which is why N8 is
    mostly taken out of the others' distribution."""
    if uasc:
        return "N8"
    pairs = tuple((k, v * (0.05 if k == "N8" else 1.0)) for k, v in cal.need.items())
    return pick(rng, pairs)


def needs(
    rng: random.Random,
    age: int,
    female: bool,
    uasc: bool,
    disabled: bool,
    unstable: bool,
    remand: bool,
    siblings: bool,
) -> tuple[str, ...]:
    """The referral needs vocabulary (EVENTS.md), in a fixed order."""
    out = []
    if disabled:
        out.append("disability")
    if rng.random() < 0.04:
        out.append("complex_health")
    if age >= 11 and rng.random() < 0.25:
        out.append("mental_health")
    if female and age >= 12 and rng.random() < 0.15:
        out.append("cse_risk")
    if not female and age >= 12 and rng.random() < 0.12:
        out.append("cce_risk")
    if remand or (age >= 12 and rng.random() < 0.08):
        out.append("offending")
    if age >= 13 and rng.random() < 0.06:
        out.append("substance_misuse")
    if (unstable and rng.random() < 0.6) or (age >= 10 and rng.random() < 0.1):
        out.append("challenging_behaviour")
    if uasc:
        out.append("uasc")
    if siblings:
        out.append("sibling_group")
    return tuple(out)
