"""Ingesting supply events: the rules, the state they change, the topic they go to."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from services.vacancies.adapters import supply_store as store
from services.vacancies.adapters import vacancy_store as vacancies
from services.vacancies.adapters.tables import HomeRow, VacancyRow
from services.vacancies.domain import homes, supply_rules
from services.vacancies.domain.lifecycle import withdraw
from services.vacancies.service_layer import emitted
from services.vacancies.service_layer.changes import home_changed, vacancy_saved
from shared.events import supply as s
from shared.events.envelope import Envelope
from shared.events.registry import accept_supply
from shared.ingest.batch import Pipeline
from shared.kafka.topics import SUPPLY
from shared.store import rows

HOME_EVENTS = s.HomeRegistered | s.HomeUpdated | s.HomeDeregistered


def _context(session: Session, event: s.SupplyEvent, skew: timedelta) -> supply_rules.Context:
    vacancy = None
    if isinstance(event, HOME_EVENTS):
        home_id: str | None = event.data.home_id
    elif isinstance(event, s.VacancyOpened):
        home_id = event.data.home_id
        vacancy = vacancies.load_vacancy(session, event.data.vacancy_id)
    else:
        vacancy = vacancies.load_vacancy(session, event.data.vacancy_id)
        home_id = vacancy.home_id if vacancy else None
    home = store.load_home(session, home_id) if home_id else None
    return supply_rules.Context(home, vacancy, datetime.now(UTC), skew)


def home_id_of(session: Session, event: Envelope) -> str:
    data = getattr(event, "data", None)
    if (home_id := getattr(data, "home_id", None)) is not None:
        return str(home_id)
    vacancy = vacancies.load_vacancy(session, str(getattr(data, "vacancy_id", "")))
    return vacancy.home_id if vacancy else str(event.subject or event.id)


def apply(session: Session, event: s.SupplyEvent) -> Sequence[Envelope]:
    """The event's effects; a deregistered home's live vacancies are withdrawn."""
    store.lock_supply(session)
    match event:
        case s.HomeRegistered():
            home = homes.register(event.data, event.time)
            store.save_home(session, home)
            store.set_places(session, home.home_id, home.registered_on, home.registered_places)
        case s.HomeUpdated():
            before = _home(session, event.data.home_id)
            after = homes.update(before, event.data, event.time)
            store.save_home(session, after)
            if after.registered_places != before.registered_places:
                store.set_places(session, after.home_id, event.time.date(), after.registered_places)
            home_changed(session, before, after)
        case s.HomeDeregistered():
            home = homes.deregister(_home(session, event.data.home_id), event.data.date, event.time)
            store.save_home(session, home)
            store.set_places(session, home.home_id, event.data.date, 0)
            return _withdraw_all(session, home, event.time)
        case s.VacancyOpened():
            home = _home(session, event.data.home_id)
            vacancy_saved(session, home, supply_rules.opened(event, home))
        case _:
            vacancy = vacancies.load_vacancy(session, event.data.vacancy_id)
            assert vacancy is not None, "checked by the rules"
            changed = supply_rules.evolve(vacancy, event)
            vacancy_saved(session, _home(session, vacancy.home_id), changed)
    return []


def _home(session: Session, home_id: str) -> homes.Home:
    home = store.load_home(session, home_id)
    assert home is not None, "checked by the rules"
    return home


def _withdraw_all(session: Session, home: homes.Home, at: datetime) -> list[Envelope]:
    out: list[Envelope] = []
    for vacancy in vacancies.live_vacancies_of(session, home.home_id):
        after = withdraw(vacancy, at)
        vacancy_saved(session, home, after)
        out.append(emitted.withdrawn(after, at, "home deregistered"))
    return out


def prepare(session: Session, events: list[s.SupplyEvent]) -> None:
    """Read the homes and vacancies the batch will look up in a few queries."""
    vacancy_ids = {e.data.vacancy_id for e in events if not isinstance(e, HOME_EVENTS)}
    rows.prefetch(session, VacancyRow, vacancy_ids)
    homes_of_vacancies = {r.home_id for v in vacancy_ids if (r := rows.get(session, VacancyRow, v))}
    home_ids = {e.data.home_id for e in events if isinstance(e, HOME_EVENTS | s.VacancyOpened)}
    rows.prefetch(session, HomeRow, home_ids | homes_of_vacancies)


def supply_pipeline(skew: timedelta) -> Pipeline[s.SupplyEvent]:
    def rules(session: Session, event: s.SupplyEvent) -> list[tuple[str, str, str]]:
        ctx = _context(session, event, skew)
        return [(v.pointer, v.reason, v.message) for v in supply_rules.check(event, ctx)]

    def route(session: Session, event: Envelope) -> tuple[str, str]:
        return SUPPLY, home_id_of(session, event)

    return Pipeline(parse=accept_supply, check=rules, apply=apply, route=route, prepare=prepare)
