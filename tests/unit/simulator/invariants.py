"""A small checker of the rules the referrals and vacancies services rely on.

Replays events in order and reports every breach: a placement only for a
child in care, at most one open placement, dates in order, nothing after
leaving care except a new admission, referrals and vacancies used in order,
and times that agree with the dates.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from shared.codes.ssda903 import codes_for, collection_year
from shared.events import journey as j
from shared.events import supply as s
from shared.events.envelope import Envelope


@dataclass
class ChildState:
    in_care: bool = False
    admitted: date | None = None
    left: date | None = None
    open_placement: str | None = None
    open_since: date | None = None
    last: date = date.min


@dataclass
class Checker:
    problems: list[str] = field(default_factory=list)
    children: dict[tuple[str, str], ChildState] = field(default_factory=dict)
    placements: dict[tuple[str, str], tuple[str, date, bool]] = field(default_factory=dict)
    referrals: dict[tuple[str, str], tuple[date, bool]] = field(default_factory=dict)
    homes: dict[str, tuple[str, bool]] = field(default_factory=dict)  # id -> owner, active
    vacancies: dict[str, str] = field(default_factory=dict)  # id -> open / closed
    last_time: datetime | None = None

    def fail(self, event: Any, why: str) -> None:
        if len(self.problems) < 50:
            self.problems.append(f"{event.type} {event.subject} {event.time}: {why}")

    def feed(self, event: Any) -> None:
        if self.last_time is not None and event.time < self.last_time:
            self.fail(event, "out of time order")
        self.last_time = event.time
        if event.time.tzinfo is None:
            self.fail(event, "naive time")
        day = getattr(event.data, "date", None)
        if isinstance(day, date) and event.time.date() != day:
            self.fail(event, f"time {event.time} not on its date {day}")
        if isinstance(event, j.JourneyEvent):
            self.journey(event)
        else:
            self.supply(event)

    # -- journey -------------------------------------------------------------
    def journey(self, event: Any) -> None:
        d = event.data
        if isinstance(event, j.ReferralClosed):
            ref = self.referrals.get((event.la, d.referral_id))
            if ref is None or ref[1]:
                self.fail(event, "closes an unknown or closed referral")
            elif d.date < ref[0]:
                self.fail(event, "closed before received")
            else:
                self.referrals[(event.la, d.referral_id)] = (ref[0], True)
            return
        key = (event.la, d.child_id)
        child = self.children.setdefault(key, ChildState())
        if event.subject != d.child_id:
            self.fail(event, "subject is not the child")
        if d.date < child.last:
            self.fail(event, f"date {d.date} before the child's last event {child.last}")
        child.last = max(child.last, d.date)
        match event:
            case j.ChildAdmitted():
                if child.in_care:
                    self.fail(event, "admitted while in care")
                child.in_care, child.admitted = True, d.date
            case j.ReferralReceived():
                if (event.la, d.referral_id) in self.referrals:
                    self.fail(event, "referral id reused")
                self.referrals[(event.la, d.referral_id)] = (d.date, False)
            case j.PlacementStarted():
                if not child.in_care:
                    self.fail(event, "placement for a child not in care")
                if child.open_placement is not None:
                    self.fail(event, "second open placement")
                if (event.la, d.placement_id) in self.placements:
                    self.fail(event, "placement id reused")
                if d.home_id is not None and d.home_id not in self.homes:
                    self.fail(event, "home not registered")
                if d.placement_type not in codes_for(collection_year(d.date)).place:
                    self.fail(event, "PLACE code not valid for the year")
                self.placements[(event.la, d.placement_id)] = (d.child_id, d.date, True)
                child.open_placement, child.open_since = d.placement_id, d.date
            case j.PlacementEnded():
                p = self.placements.get((event.la, d.placement_id))
                if p is None or not p[2] or p[0] != d.child_id:
                    self.fail(event, "ends an unknown or closed placement")
                elif d.date < p[1]:
                    self.fail(event, "ends before it started")
                else:
                    self.placements[(event.la, d.placement_id)] = (p[0], p[1], False)
                if child.open_placement != d.placement_id:
                    self.fail(event, "ends a placement that is not the open one")
                child.open_placement = None
            case j.LegalStatusChanged():
                if not child.in_care:
                    self.fail(event, "legal status change out of care")
            case j.ChildLeftCare():
                if not child.in_care:
                    self.fail(event, "left care while not in care")
                if child.open_placement is not None:
                    self.fail(event, "left care with a placement open")
                child.in_care, child.left = False, d.date

    # -- supply --------------------------------------------------------------
    def supply(self, event: Any) -> None:
        d = event.data
        match event:
            case s.HomeRegistered():
                if d.owner_la != event.la:
                    self.fail(event, "owner_la is not the envelope la")
                self.homes[d.home_id] = (event.la, True)
            case s.HomeDeregistered():
                if self.homes.get(d.home_id, ("", False))[1] is False:
                    self.fail(event, "deregisters an unknown home")
                self.homes[d.home_id] = (event.la, False)
            case s.HomeUpdated():
                if d.home_id not in self.homes:
                    self.fail(event, "updates an unknown home")
            case s.VacancyOpened():
                home = self.homes.get(d.home_id)
                if home is None or not home[1] or home[0] != event.la:
                    self.fail(event, "vacancy in an unknown or closed home")
                if d.vacancy_id in self.vacancies:
                    self.fail(event, "vacancy id reused")
                self.vacancies[d.vacancy_id] = "open"
            case s.VacancyHeld():
                if self.vacancies.get(d.vacancy_id) != "open":
                    self.fail(event, "holds a vacancy that is not open")
            case s.VacancyFilled() | s.VacancyWithdrawn():
                if self.vacancies.get(d.vacancy_id) != "open":
                    self.fail(event, "closes a vacancy that is not open")
                self.vacancies[d.vacancy_id] = "closed"


def check_all(events: list[Envelope]) -> list[str]:
    checker = Checker()
    for event in events:
        checker.feed(event)
    return checker.problems
