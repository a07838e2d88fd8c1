"""The vacancy lifecycle (pure): a state machine with `now` passed in.

    open --held--> held --(hold lapses)--> open
    open|held --filled (last place)--> filled
    open|held --withdrawn--> withdrawn
    open|held --(expires_at passes)--> expired

Filled, withdrawn and expired are final. A fill of fewer than the places
left keeps the vacancy open (or held). `advance` gives what the clock alone
does to a vacancy: a lapsed hold reopens it, a passed expiry closes it, in
the order they happened.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from shared.codes.ssda903 import NEW_CARER_REASONS


class Status(StrEnum):
    OPEN = "open"
    HELD = "held"
    FILLED = "filled"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


LIVE = frozenset({Status.OPEN, Status.HELD})


class InvalidTransition(ValueError):
    def __init__(self, status: Status, action: str) -> None:
        super().__init__(f"the vacancy is {status}: it cannot be {action}")
        self.status, self.action = status, action


@dataclass(frozen=True)
class Vacancy:
    vacancy_id: str
    home_id: str
    owner_la: str
    places: int
    available_from: date
    opened_at: datetime
    updated_at: datetime
    status: Status = Status.OPEN
    expires_at: datetime | None = None
    held_for_referral: str | None = None
    hold_until: datetime | None = None
    held_at: datetime | None = None  # when that hold was placed
    suitable_for: tuple[str, ...] = ()
    age_min: int = 0
    age_max: int = 17
    filled_by: tuple[tuple[str, int], ...] = ()  # (placement id, places)

    @property
    def places_left(self) -> int:
        return max(0, self.places - sum(n for _, n in self.filled_by))

    @property
    def live(self) -> bool:
        return self.status in LIVE


def _require(v: Vacancy, allowed: frozenset[Status], action: str) -> None:
    if v.status not in allowed:
        raise InvalidTransition(v.status, action)


def hold(v: Vacancy, referral_id: str, until: datetime, at: datetime) -> Vacancy:
    _require(v, LIVE, "held")
    if v.status is Status.HELD and v.held_for_referral != referral_id and not _lapsed_by(v, at):
        raise InvalidTransition(v.status, f"held for {referral_id} (held for another referral)")
    again = v.status is Status.HELD and v.held_for_referral == referral_id
    return replace(
        v,
        status=Status.HELD,
        held_for_referral=referral_id,
        hold_until=until,
        held_at=v.held_at if again else at,
        updated_at=at,
    )


def fill(v: Vacancy, placement_id: str, places: int, at: datetime) -> Vacancy:
    if any(p == placement_id for p, _ in v.filled_by):
        return v  # the same placement again changes nothing
    _require(v, LIVE, "filled")
    after = replace(v, filled_by=(*v.filled_by, (placement_id, places)), updated_at=at)
    if after.places_left == 0:
        return replace(after, status=Status.FILLED, held_for_referral=None, hold_until=None)
    return after


def withdraw(v: Vacancy, at: datetime) -> Vacancy:
    _require(v, LIVE, "withdrawn")
    return replace(
        v, status=Status.WITHDRAWN, held_for_referral=None, hold_until=None, updated_at=at
    )


def reopen(v: Vacancy, at: datetime) -> Vacancy:
    """The lapsed hold stays on record (referral and until): a placement
    reported after the clock reopened the vacancy is judged by the hold in
    force on its own day (`choose_for_placement`)."""
    _require(v, frozenset({Status.HELD}), "reopened")
    return replace(v, status=Status.OPEN, updated_at=at)


def expire(v: Vacancy, at: datetime) -> Vacancy:
    _require(v, LIVE, "expired")
    return replace(v, status=Status.EXPIRED, held_for_referral=None, hold_until=None, updated_at=at)


@dataclass(frozen=True)
class Transition:
    kind: Literal["reopened", "expired"]
    at: datetime
    before: Vacancy
    after: Vacancy


def advance(v: Vacancy, now: datetime) -> list[Transition]:
    """What the passing of time to `now` does to the vacancy, in order."""
    out: list[Transition] = []
    lapsed = v.status is Status.HELD and v.hold_until is not None and v.hold_until <= now
    if (
        lapsed
        and v.hold_until is not None
        and (v.expires_at is None or v.hold_until < v.expires_at)
    ):
        after = reopen(v, v.hold_until)
        out.append(Transition("reopened", v.hold_until, v, after))
        v = after
    if v.live and v.expires_at is not None and v.expires_at <= now:
        after = expire(v, v.expires_at)
        out.append(Transition("expired", v.expires_at, v, after))
    return out


def choose_for_placement(
    vacancies: list[Vacancy], referral_id: str | None, day: date, reason: str
) -> Vacancy | None:
    """The vacancy a placement into the home fills, if any, judged on the
    placement's day: events about the past arrive after the clock passed, so
    a hold in force that day counts even if the scheduler has reopened the
    vacancy since, and one lapsed by then does not, reopened or not.

    A placement with the same carer (RNE T or U: only its type or legal
    status changed) takes no new place, so it fills none. Otherwise, the one
    held for its referral, else the longest-open one not held for another."""
    if reason not in NEW_CARER_REASONS:
        return None
    usable = [v for v in vacancies if v.live and v.opened_at.date() <= day]
    held = [v for v in usable if _held_on(v, day) and v.held_for_referral == referral_id]
    if referral_id and held:
        return held[0]
    open_ = sorted((v for v in usable if not _held_on(v, day)), key=lambda v: v.opened_at)
    return open_[0] if open_ else None


def _lapsed_by(v: Vacancy, at: datetime) -> bool:
    return v.hold_until is not None and v.hold_until <= at


def _held_on(v: Vacancy, day: date) -> bool:
    """A hold placed by that day and not lapsed before it."""
    if v.hold_until is None or v.hold_until.date() < day:
        return False
    return v.held_at is None or v.held_at.date() <= day


def hold_in_force(v: Vacancy) -> tuple[str | None, datetime | None]:
    """(referral, until) of the hold on a held vacancy; (None, None) otherwise."""
    return (v.held_for_referral, v.hold_until) if v.status is Status.HELD else (None, None)
