"""The rules a supply event must pass: ownership, a home for a vacancy, valid moves."""

from datetime import timedelta

from services.vacancies.domain import homes
from services.vacancies.domain import lifecycle as lc
from services.vacancies.domain.supply_rules import Context, check, evolve, opened
from shared.events.supply import VacancyOpened
from tests.unit.vacancies.builders import DERBY, NOTTINGHAM, T0, at, home, supply, vacancy

SKEW = timedelta(minutes=5)


def reasons(event, h=None, v=None, now=T0):
    return [x.reason for x in check(event, Context(h, v, now, SKEW))]


def registered(**kw):
    data = {
        "home_id": "H1", "kind": "childrens_home", "provider": "own_la", "owner_la": DERBY,
        "location_la": DERBY, "registered_places": 3,
    } | kw  # fmt: skip
    return supply("home.registered.v1", data)


def test_a_home_is_registered_by_its_owner_la_once():
    assert reasons(registered()) == []
    assert reasons(registered(owner_la=NOTTINGHAM)) == ["owner_la_not_la"]
    assert reasons(registered(), h=home()) == ["home_exists"]
    assert reasons(registered(), h=home(owner_la=NOTTINGHAM)) == ["home_of_other_la"]


def test_a_foster_household_is_pseudonymous():
    event = registered(kind="foster_household")
    assert homes.register(event.data, T0).name is None
    named = supply("home.updated.v1", {"home_id": "H1", "name": "The Smiths"})
    assert reasons(named, h=home(kind="foster_household")) == ["foster_household_named"]


def test_a_vacancy_needs_a_registered_home_of_the_la():
    event = supply(
        "vacancy.opened.v1", {"vacancy_id": "V1", "home_id": "H1", "available_from": "2024-05-01"}
    )
    assert reasons(event) == ["unknown_home"]
    assert reasons(event, h=home(owner_la=NOTTINGHAM)) == ["home_of_other_la"]
    gone = home(deregistered_on=T0.date())
    assert reasons(event, h=gone) == ["home_deregistered"]
    assert reasons(event, h=home()) == []
    assert isinstance(event, VacancyOpened)
    assert opened(event, home()).status is lc.Status.OPEN


def test_a_withdrawn_vacancy_cannot_be_filled():
    fill = supply("vacancy.filled.v1", {"vacancy_id": "V1", "placement_id": "P1"})
    withdrawn = lc.withdraw(vacancy(), T0)
    assert reasons(fill, h=home(), v=withdrawn) == ["invalid_transition"]
    assert reasons(fill, h=home(), v=vacancy()) == []
    assert evolve(vacancy(), fill).status is lc.Status.FILLED


def test_hold_until_must_be_after_the_hold_and_la_must_own_the_vacancy():
    past = supply(
        "vacancy.held.v1",
        {"vacancy_id": "V1", "held_for_referral": "R1", "hold_until": at(hours=-1).isoformat()},
    )
    assert reasons(past, h=home(), v=vacancy()) == ["hold_until_not_after_time"]
    theirs = vacancy(owner_la=NOTTINGHAM)
    withdraw = supply("vacancy.withdrawn.v1", {"vacancy_id": "V1"})
    assert reasons(withdraw, h=home(), v=theirs) == ["vacancy_of_other_la"]
    assert reasons(withdraw, v=None) == ["unknown_vacancy"]


def test_events_from_the_future_are_refused():
    event = supply("vacancy.withdrawn.v1", {"vacancy_id": "V1"}, time=at(hours=2))
    assert reasons(event, h=home(), v=vacancy()) == ["in_future"]
