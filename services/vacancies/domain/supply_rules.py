"""The rules a supply event must pass before it is stored (pure).

An LA may only act on homes it owns (`la` = the home's `owner_la`); a vacancy
needs a registered home; a vacancy changes only by a valid transition.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.vacancies.domain import lifecycle as lc
from services.vacancies.domain.homes import Home
from services.vacancies.domain.violation import Violation
from shared.events import supply as s

V = Violation


@dataclass(frozen=True)
class Context:
    home: Home | None  # the home the event names, or the vacancy's home
    vacancy: lc.Vacancy | None
    now: datetime
    skew: timedelta


def check(event: s.SupplyEvent, ctx: Context) -> list[Violation]:
    if event.time > ctx.now + ctx.skew:
        return [V("/time", "in_future", f"time {event.time.isoformat()} is in the future")]
    match event:
        case s.HomeRegistered():
            return _registered(event, ctx.home)
        case s.HomeUpdated():
            return _owned(event, ctx.home) or _updated(event, ctx.home)
        case s.HomeDeregistered():
            return _owned(event, ctx.home) or _deregistered(event, ctx)
        case s.VacancyOpened():
            return _owned(event, ctx.home) or _opened(event, ctx)
        case _:
            return _changed(event, ctx)


def _registered(event: s.HomeRegistered, home: Home | None) -> list[Violation]:
    if event.data.owner_la != event.la:
        return [V("/data/owner_la", "owner_la_not_la", "owner_la must be the event's la")]
    if home is not None and home.owner_la != event.la:
        return [V("/data/home_id", "home_of_other_la", "this home id belongs to another LA")]
    if home is not None and home.active:
        return [V("/data/home_id", "home_exists", "the home is already registered")]
    return []


def _owned(event: s.SupplyEvent, home: Home | None) -> list[Violation]:
    if home is None:
        return [V("/data/home_id", "unknown_home", "no home with this id is registered")]
    if home.owner_la != event.la:
        return [V("/data/home_id", "home_of_other_la", "the home belongs to another LA")]
    if not home.active:
        return [V("/data/home_id", "home_deregistered", f"deregistered on {home.deregistered_on}")]
    return []


def _updated(event: s.HomeUpdated, home: Home | None) -> list[Violation]:
    assert home is not None
    d = event.data
    if d.name and home.is_foster:
        return [V("/data/name", "foster_household_named", "foster households are pseudonymous")]
    low = home.age_min if d.age_min is None else d.age_min
    high = home.age_max if d.age_max is None else d.age_max
    if low > high:
        return [V("/data/age_min", "age_range", f"age_min {low} is above age_max {high}")]
    return []


def _deregistered(event: s.HomeDeregistered, ctx: Context) -> list[Violation]:
    assert ctx.home is not None
    if event.data.date > (ctx.now + ctx.skew).date():
        return [V("/data/date", "in_future", f"date {event.data.date} is in the future")]
    if event.data.date < ctx.home.registered_on:
        return [V("/data/date", "before_registration", f"registered {ctx.home.registered_on}")]
    return []


def _opened(event: s.VacancyOpened, ctx: Context) -> list[Violation]:
    d, home = event.data, ctx.home
    assert home is not None
    if ctx.vacancy is not None:
        return [V("/data/vacancy_id", "vacancy_exists", "vacancy id already used")]
    if d.age_min > d.age_max:
        return [V("/data/age_min", "age_range", f"age_min {d.age_min} is above age_max")]
    if d.places > home.registered_places:
        return [V("/data/places", "more_places_than_registered", f"{home.registered_places}")]
    if d.expires_at is not None and d.expires_at <= event.time:
        return [V("/data/expires_at", "expires_before_opened", "expires_at is not after time")]
    return []


def _changed(event: s.SupplyEvent, ctx: Context) -> list[Violation]:
    v = ctx.vacancy
    if v is None:
        return [V("/data/vacancy_id", "unknown_vacancy", "no vacancy with this id")]
    if v.owner_la != event.la:
        return [V("/data/vacancy_id", "vacancy_of_other_la", "the vacancy belongs to another LA")]
    if isinstance(event, s.VacancyHeld) and event.data.hold_until <= event.time:
        return [V("/data/hold_until", "hold_until_not_after_time", "hold_until must be later")]
    try:
        evolve(v, event)
    except lc.InvalidTransition as exc:
        return [V("/type", "invalid_transition", str(exc))]
    return []


def evolve(v: lc.Vacancy, event: s.SupplyEvent) -> lc.Vacancy:
    """The vacancy after a change event (raises InvalidTransition)."""
    at = event.time
    match event:
        case s.VacancyHeld():
            return lc.hold(v, event.data.held_for_referral, event.data.hold_until, at)
        case s.VacancyFilled():
            return lc.fill(v, event.data.placement_id, event.data.places_filled or 1, at)
        case s.VacancyWithdrawn():
            return lc.withdraw(v, at)
        case s.VacancyReopened():
            return lc.reopen(v, at)
        case s.VacancyExpired():
            return lc.expire(v, at)
    raise TypeError(f"not a vacancy change: {event.type}")


def opened(event: s.VacancyOpened, home: Home) -> lc.Vacancy:
    d = event.data
    return lc.Vacancy(
        vacancy_id=d.vacancy_id,
        home_id=d.home_id,
        owner_la=home.owner_la,
        places=d.places,
        available_from=d.available_from,
        opened_at=event.time,
        updated_at=event.time,
        expires_at=d.expires_at,
        suitable_for=tuple(str(n) for n in d.suitable_for),
        age_min=d.age_min,
        age_max=d.age_max,
    )
