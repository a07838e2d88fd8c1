"""The service layer on a real (SQLite) database: ingest, fills, the clock, the feed log."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from services.vacancies.adapters import feed_log
from services.vacancies.adapters.tables import TABLES, VacancyRow
from services.vacancies.service_layer.journey_consumer import handle
from services.vacancies.service_layer.scheduler import run_due
from services.vacancies.service_layer.supply_pipeline import supply_pipeline
from shared.db import transaction
from shared.events import parse_event
from shared.ingest.batch import Rejected, ingest
from shared.migrations import pending_changes, upgrade
from shared.store.tables import OutboxMessage
from tests.integration.vacancies import events as ev

pytestmark = pytest.mark.integration
MIGRATIONS = Path(__file__).resolve().parents[3] / "services" / "vacancies" / "migrations"
PIPELINE = supply_pipeline(timedelta(minutes=5))


@pytest.fixture
def db(engine):
    """A migrated vacancies database, on SQLite and on PostgreSQL (tests/conftest.py)."""
    upgrade(engine, MIGRATIONS)
    return engine


def status(db, vacancy_id):
    with Session(db) as s:
        row = s.get(VacancyRow, vacancy_id)
        assert row is not None
        return row.status


def outbox(db, topic):
    with Session(db) as s:
        stmt = select(OutboxMessage).where(OutboxMessage.topic == topic)
        rows = s.exec(stmt.order_by(col(OutboxMessage.seq))).all()
        return [json.loads(r.value) for r in rows]


def feed_statuses(db, vacancy_id):
    rows = feed_log.read_after(db, "D2N2", 0, 1000)
    return [json.loads(r.body)["data"]["status"] for r in rows if r.vacancy_id == vacancy_id]


def test_migrations_build_exactly_the_models(db):
    assert pending_changes(db, TABLES) == []


def test_a_batch_with_an_invalid_transition_stores_nothing(db):
    ingest(db, [ev.home("H1"), ev.opened("V1", "H1"), ev.withdrawn("V1")], ev.DERBY, PIPELINE)
    fill = ev.envelope("vacancy.filled.v1", {"vacancy_id": "V1", "placement_id": "P1"}, ev.DERBY)
    with pytest.raises(Rejected) as rejected:
        ingest(db, [ev.opened("V2", "H1"), fill], ev.DERBY, PIPELINE)
    assert [e.reason for e in rejected.value.errors] == ["invalid_transition"]
    with Session(db) as s:
        assert s.get(VacancyRow, "V2") is None
    assert feed_statuses(db, "V1") == ["open", "withdrawn"]


def test_a_placement_into_the_home_fills_its_vacancy_with_event_and_feed_entry(db):
    ingest(db, [ev.home("H1"), ev.opened("V1", "H1")], ev.DERBY, PIPELINE)
    placed = parse_event(ev.placement_started("P1", "C1", "H1"))
    with transaction(db) as s:
        handle(s, placed)
    assert status(db, "V1") == "filled"
    filled = [e for e in outbox(db, "supply.v1") if e["type"] == "vacancy.filled.v1"]
    assert [(e["la"], e["data"]["placement_id"]) for e in filled] == [(ev.DERBY, "P1")]
    assert feed_statuses(db, "V1") == ["open", "filled"]
    assert [e["data"]["status"] for e in outbox(db, "region.D2N2.vacancies")] == ["open", "filled"]


def test_lapsed_holds_and_expiries_are_found_after_a_restart(db):
    start = ev.now()
    batch = [
        ev.home("H1"),
        ev.opened("V1", "H1"),
        ev.held("V1", "R1", start + timedelta(seconds=30)),
        ev.opened("V2", "H1", expires_at=ev.iso(start + timedelta(seconds=60))),
    ]
    ingest(db, batch, ev.DERBY, PIPELINE)
    assert run_due(db, start) == []
    db.dispose()  # the service stops: no connection, no memory; the state is in the database
    again = db
    done = run_due(again, start + timedelta(minutes=5))
    assert sorted(t.kind for t in done) == ["expired", "reopened"]
    assert (status(again, "V1"), status(again, "V2")) == ("open", "expired")
    types = [e["type"] for e in outbox(again, "supply.v1")]
    assert types.count("vacancy.reopened.v1") == 1 and types.count("vacancy.expired.v1") == 1
    assert feed_statuses(again, "V1") == ["open", "held", "open"]
    assert run_due(again, start + timedelta(minutes=6)) == []


def test_deregistering_a_home_withdraws_its_vacancies_and_emits_withdrawals(db):
    ingest(db, [ev.home("H1"), ev.opened("V1", "H1")], ev.DERBY, PIPELINE)
    gone = ev.envelope(
        "home.deregistered.v1",
        {"home_id": "H1", "date": ev.now().date().isoformat(), "reason": "closed"},
        ev.DERBY,
    )
    ingest(db, [gone], ev.DERBY, PIPELINE)
    assert status(db, "V1") == "withdrawn"
    assert "vacancy.withdrawn.v1" in [e["type"] for e in outbox(db, "supply.v1")]


def test_a_home_that_stops_sharing_leaves_the_feed_and_unshared_homes_never_enter(db):
    ingest(db, [ev.home("H1"), ev.opened("V1", "H1")], ev.DERBY, PIPELINE)
    ingest(db, [ev.home("H2", shared=False), ev.opened("V2", "H2")], ev.DERBY, PIPELINE)
    stop = ev.envelope("home.updated.v1", {"home_id": "H1", "share_regionally": False}, ev.DERBY)
    ingest(db, [stop, ev.withdrawn("V2")], ev.DERBY, PIPELINE)
    assert feed_statuses(db, "V1") == ["open", "withdrawn"]
    assert status(db, "V1") == "open"  # still open for Derby itself
    assert feed_statuses(db, "V2") == []


def test_concurrent_writers_give_a_gapless_feed_in_commit_order(db):
    ingest(db, [ev.home("H1", registered_places=50)], ev.DERBY, PIPELINE)

    def writer(n: int) -> None:
        vid = f"V{n}"
        ingest(db, [ev.opened(vid, "H1")], ev.DERBY, PIPELINE)
        ingest(db, [ev.held(vid, "R1", ev.now() + timedelta(hours=1))], ev.DERBY, PIPELINE)
        ingest(db, [ev.withdrawn(vid)], ev.DERBY, PIPELINE)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(writer, range(16)))
    rows = feed_log.read_after(db, "D2N2", 0, 1000)
    assert [r.seq for r in rows] == list(range(1, 49))
    for n in range(16):
        assert feed_statuses(db, f"V{n}") == ["open", "held", "withdrawn"]
    kafka = [(e["subject"], e["data"]["status"]) for e in outbox(db, "region.D2N2.vacancies")]
    assert kafka == [
        (json.loads(r.body)["subject"], json.loads(r.body)["data"]["status"]) for r in rows
    ]
