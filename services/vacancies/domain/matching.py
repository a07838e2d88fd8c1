"""Ranking open vacancies for a referral (pure).

Every criterion gives points and a reason a person can read: each stated
need met (+20; unmet 0), the child's age inside the vacancy's range (+20;
outside -30), distance from the child's home (20 to 30 points inside the
20-mile line of 32,186 m, falling from 0 to -20 beyond it), the home's Ofsted
rating, and the weekly price against the framework price and any maximum.

Ranking is lexicographic: fewest unmet needs first, so a vacancy that cannot
meet a stated need never ranks above one that can; then the score; then the
distance. Homes of a kind that cannot give the placement sought are left out.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from services.vacancies.domain.homes import Point
from services.vacancies.domain.scoring import (
    Reason,
    age_reason,
    distance_reason,
    ofsted_reason,
    price_reasons,
)

KINDS_FOR: dict[str, frozenset[str]] = {
    "fostering": frozenset({"foster_household"}),
    "residential": frozenset({"childrens_home", "residential_school"}),
    "supported": frozenset({"supported_accommodation"}),
    "parent_and_child": frozenset({"parent_and_child"}),
    "secure": frozenset({"secure_childrens_home"}),
}  # "other": any kind
NEED_POINTS = 20.0


@dataclass(frozen=True)
class Referral:
    placement_sought: str
    needs: tuple[str, ...] = ()
    age: int | None = None
    location: Point | None = None
    max_weekly_price: float | None = None
    framework_price: float | None = None
    framework: str | None = None
    sibling_group_size: int | None = None


@dataclass(frozen=True)
class Candidate:
    vacancy_id: str
    kind: str
    places_left: int
    suitable_for: tuple[str, ...]  # the vacancy's
    specialisms: tuple[str, ...]  # the home's
    age_min: int
    age_max: int
    location: Point | None
    ofsted_rating: str
    weekly_price: float | None
    frameworks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    vacancy_id: str
    score: float
    unmet_needs: tuple[str, ...]
    distance_m: float | None
    reasons: tuple[Reason, ...]

    @property
    def needs_met(self) -> bool:
        return not self.unmet_needs


def kind_fits(referral: Referral, kind: str) -> bool:
    kinds = KINDS_FOR.get(referral.placement_sought)
    return kinds is None or kind in kinds


def need_reasons(referral: Referral, c: Candidate) -> tuple[list[Reason], tuple[str, ...]]:
    reasons, unmet = [], []
    for need in dict.fromkeys(referral.needs):
        where = "suitable for" if need in c.suitable_for else "specialism"
        offered = need in c.suitable_for or need in c.specialisms
        group = referral.sibling_group_size or 1
        if offered and need == "sibling_group" and c.places_left < group:
            reasons.append(Reason("need", 0.0, f"{need}: {c.places_left} places for {group}"))
            unmet.append(need)
        elif offered:
            reasons.append(Reason("need", NEED_POINTS, f"meets {need} ({where})"))
        else:
            reasons.append(Reason("need", 0.0, f"cannot meet {need}"))
            unmet.append(need)
    return reasons, tuple(unmet)


def score(referral: Referral, c: Candidate) -> Match:
    reasons, unmet = need_reasons(referral, c)
    distance = (
        math.dist(referral.location, c.location) if referral.location and c.location else None
    )
    reasons += [
        age_reason(referral.age, c.age_min, c.age_max),
        distance_reason(distance),
        ofsted_reason(c.ofsted_rating),
        *price_reasons(
            c.weekly_price,
            referral.framework_price,
            referral.max_weekly_price,
            referral.framework if referral.framework in c.frameworks else None,
        ),
    ]
    total = round(sum(r.points for r in reasons), 1)
    return Match(c.vacancy_id, total, unmet, distance, tuple(reasons))


def rank(referral: Referral, candidates: Iterable[Candidate]) -> list[Match]:
    matches = [score(referral, c) for c in candidates if kind_fits(referral, c.kind)]
    return sorted(
        matches,
        key=lambda m: (
            len(m.unmet_needs),
            -m.score,
            math.inf if m.distance_m is None else m.distance_m,
            m.vacancy_id,
        ),
    )
