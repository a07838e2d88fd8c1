"""What the metrics projection knows about ONE LA: facts, not events.

Two layers live here:

* the *statements* events made (admissions, leavings, legal status changes,
  corrections, reported placement ends), kept as sets keyed by date so that
  the order events arrive in does not matter;
* the *derived facts* every indicator reads (`ChildFacts`, `PeriodOfCare`,
  `LegalStatusSpan`, `PlacementFacts` with its effective end, ...), recomputed
  for one child from that child's statements after each journey event
  (see `derive.py`).

An as-of computation reads the derived facts only: every fact carries its own
start and end, so nothing is replayed. Dates are calendar days.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from shared.events.envelope import Envelope

GridPoint = tuple[int, int]  # OS National Grid (easting, northing), metres
YearMonth = tuple[int, int]  # (year, month)


T = TypeVar("T")


def in_force(history: tuple[tuple[date, T], ...], day: date, latest: T) -> T:
    """The value of a sorted (from, value) history on `day`; before its first
    entry, the first value (a backfill names homes after children moved in)."""
    if not history:
        return latest
    value = history[0][1]
    for since, v in history:
        if since > day:
            break
        value = v
    return value


@dataclass(frozen=True, slots=True)
class ChildFacts:
    child_id: str
    la: str
    birth_month: YearMonth
    sex: int
    uasc: bool
    home_location: GridPoint | None


@dataclass(frozen=True, slots=True)
class PeriodOfCare:
    child_id: str
    start: date
    end: date | None  # the day the child left care (still looked after on it)
    end_reason: str | None  # 903 REC
    continues_earlier: bool = False  # began before the records: its start is not a start


@dataclass(frozen=True, slots=True)
class LegalStatusSpan:
    """A legal status in force from `start` until the child's next span."""

    child_id: str
    start: date
    legal_status: str


@dataclass(frozen=True, slots=True)
class PlacementFacts:
    placement_id: str
    child_id: str
    start: date
    end: date | None  # effective: reported, else the next start, else the end of care
    reason: str  # 903 RNE: S, P, B, T or U
    place: str  # 903 PLACE
    provider: str  # 903 PLACE_PROVIDER, PR0-PR5
    home_id: str | None
    placement_location: GridPoint | None
    placement_la: str | None
    weekly_cost: float | None
    framework: str | None
    referral_id: str | None
    emergency: bool
    urn: str | None = None
    reported_end: date | None = None  # from placement.ended, if it has arrived
    change_reason: str | None = None  # 903 REASON_PLACE_CHANGE


@dataclass(frozen=True, slots=True)
class ReferralFacts:
    referral_id: str
    child_id: str
    received: date
    urgency: str
    closed: date | None = None
    outcome: str | None = None
    placement_id: str | None = None


@dataclass(frozen=True, slots=True)
class HomeFacts:
    home_id: str
    kind: str  # shared.events.common.HomeKind value
    provider: str  # shared.events.common.HomeProvider value (own_la, private, ...)
    owner_la: str
    location_la: str
    registered_places: int  # latest
    registered_at: date
    deregistered_at: date | None = None
    share_regionally: bool = False
    urn: str | None = None
    location: GridPoint | None = None
    # (from, places) for every registered_places change, sorted by date.
    places_history: tuple[tuple[date, int], ...] = ()
    # The same for the attributes an as-of figure reads (the latest values are
    # above): a change dated after a day must not change that day's figures.
    location_la_history: tuple[tuple[date, str], ...] = ()
    location_history: tuple[tuple[date, GridPoint | None], ...] = ()
    share_history: tuple[tuple[date, bool], ...] = ()
    # Kind, provider and owner change only when the home is registered again.
    kind_history: tuple[tuple[date, str], ...] = ()
    provider_history: tuple[tuple[date, str], ...] = ()
    owner_la_history: tuple[tuple[date, str], ...] = ()
    # (deregistered, registered again) for each time the home closed and reopened.
    gaps: tuple[tuple[date, date], ...] = ()

    def places_on(self, day: date) -> int:
        return in_force(self.places_history, day, self.registered_places)

    def location_la_on(self, day: date) -> str:
        return in_force(self.location_la_history, day, self.location_la)

    def location_on(self, day: date) -> GridPoint | None:
        return in_force(self.location_history, day, self.location)

    def shared_on(self, day: date) -> bool:
        return in_force(self.share_history, day, self.share_regionally)

    def kind_on(self, day: date) -> str:
        return in_force(self.kind_history, day, self.kind)

    def provider_on(self, day: date) -> str:
        return in_force(self.provider_history, day, self.provider)

    def owner_la_on(self, day: date) -> str:
        return in_force(self.owner_la_history, day, self.owner_la)

    def registered_on(self, day: date) -> bool:
        if any(closed <= day < reopened for closed, reopened in self.gaps):
            return False
        return self.registered_at <= day and (
            self.deregistered_at is None or self.deregistered_at > day
        )


@dataclass(frozen=True, slots=True)
class VacancyFacts:
    vacancy_id: str
    home_id: str
    places: int
    opened_at: date  # the later of the day it was posted and `available_from`
    closed_at: date | None = None
    final_status: str = "open"  # open, held, filled, withdrawn, expired
    shared_regionally: bool = False
    filled_by: tuple[tuple[str, int, date], ...] = ()  # (placement_id, places, day) per fill
    # (posted, (opened_at, places)) for each time it was posted, sorted by date
    # (`opened_at` and `places` above are the latest): a vacancy posted again
    # with another opening day or places restates them from the day it was
    # posted again, not before.
    postings: tuple[tuple[date, tuple[date, int]], ...] = ()

    def opened_on(self, day: date) -> date:
        """The opening day in force on `day` (the latest posting dated on or before it)."""
        return in_force(self.postings, day, (self.opened_at, self.places))[0]

    def places_on(self, day: date) -> int:
        return in_force(self.postings, day, (self.opened_at, self.places))[1]

    def open_on(self, day: date) -> bool:
        return self.opened_on(day) <= day and (self.closed_at is None or self.closed_at > day)

    @property
    def places_left(self) -> int:
        return max(0, self.places - sum(n for _, n, _ in self.filled_by))

    def places_left_on(self, day: date) -> int:
        """Places not filled by the end of `day` (a later fill does not count)."""
        filled = sum(n for _, n, on in self.filled_by if on <= day)
        return max(0, self.places_on(day) - filled)


@dataclass(frozen=True, slots=True)
class Admission:
    """What one child.admitted said (a statement, kept per child and date)."""

    day: date
    birth_month: YearMonth
    sex: int
    uasc: bool
    home_location: GridPoint | None
    legal_status: str
    # A 903 import's first episode that continues a period begun before the
    # records (envelope extension `continuesperiod`): not a start into care.
    continues_earlier: bool = False


@dataclass(frozen=True, slots=True)
class Correction:
    """What one child.details.corrected said; None means 'not corrected'."""

    day: date
    birth_month: YearMonth | None = None
    sex: int | None = None
    uasc: bool | None = None
    home_location: GridPoint | None = None


@dataclass(eq=False)
class LaFacts:
    """All facts of one LA; `apply` (projection.py) changes it in place."""

    la: str
    # derived facts, read by the indicators
    children: dict[str, ChildFacts] = field(default_factory=dict)
    periods: dict[str, list[PeriodOfCare]] = field(default_factory=dict)  # sorted by start
    legal_statuses: dict[str, list[LegalStatusSpan]] = field(default_factory=dict)
    placements: dict[str, PlacementFacts] = field(default_factory=dict)
    placements_by_child: dict[str, list[str]] = field(default_factory=dict)  # ids, by start
    referrals: dict[str, ReferralFacts] = field(default_factory=dict)
    homes: dict[str, HomeFacts] = field(default_factory=dict)
    vacancies: dict[str, VacancyFacts] = field(default_factory=dict)
    # statements, from which the per-child facts are derived
    admissions: dict[str, dict[date, Admission]] = field(default_factory=dict)
    leavings: dict[str, dict[date, str]] = field(default_factory=dict)
    legal_changes: dict[str, dict[date, str]] = field(default_factory=dict)
    corrections: dict[str, list[Correction]] = field(default_factory=dict)
    # events naming an entity not seen yet, replayed when it appears
    pending: dict[str, list[Envelope]] = field(default_factory=dict)
    # ids of retracted events: one arriving later (or again) is ignored
    retracted: set[str] = field(default_factory=set)
    # reported ends (day, reason for change) of placements whose start was
    # retracted: the corrected start, which keeps the placement id, takes them
    orphan_ends: dict[str, tuple[date, str | None]] = field(default_factory=dict)
    # bumped by every change; caches of derived indexes key on it
    version: int = 0
    # children whose facts were derived again since the index last looked
    # (index.py rebuilds only their rows)
    touched: set[str] = field(default_factory=set, repr=False)
    cache: dict[str, object] = field(default_factory=dict, repr=False)

    def placements_of(self, child_id: str) -> list[PlacementFacts]:
        return [self.placements[p] for p in self.placements_by_child.get(child_id, [])]

    def first_date(self) -> date | None:
        """The earliest day any fact starts (where a backfilled history begins)."""
        days = [ps[0].start for ps in self.periods.values() if ps]
        days += [p.start for p in self.placements.values()]
        days += [h.registered_at for h in self.homes.values()]
        return min(days) if days else None
