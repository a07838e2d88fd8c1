"""The vacancies service's write paths give the same rows whether a batch's
events are applied together (rows read ahead, looked up from memory, flushed
once) or one per transaction, on every backend."""

import json
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine, text

from services.vacancies.service_layer.journey_consumer import handle, prepare
from services.vacancies.service_layer.supply_pipeline import supply_pipeline
from shared.db import make_engine
from shared.events.envelope import Envelope
from shared.events.registry import parse_event
from shared.ingest.batch import Rejected, ingest
from shared.kafka.consumer import ConsumerMetrics, Decoded, EventConsumer
from shared.migrations import upgrade
from sufficiency.posting import DERIVED_BY_SERVICE, Post, posting_order
from sufficiency.simulator import backfill
from tests.integration.vacancies import events as ev

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "vacancies" / "migrations"
DERBY = "E06000015"
RECENT = 4000  # the last events of Derby's year: vacancies opened, held and filled, moves
WALL_CLOCK = {"created_at", "received_at", "processed_at"}
TABLES = ["home", "home_places", "vacancy", "stay", "match_child", "match_referral", "feed_entry"]


@pytest.fixture
def other(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    if engine.dialect.name == "sqlite":
        url = f"sqlite:///{tmp_path / 'one-by-one.db'}"
    else:
        url = engine.url.render_as_string(hide_password=False)
    eng = make_engine(url, schema=f"t{uuid.uuid4().hex[:10]}")
    yield eng
    eng.dispose()


def parsed(raw: list[dict[str, Any]]) -> list[Envelope]:
    return [parse_event(e) for e in raw]


def apply(engine: Engine, plan: list[Post], together: bool):
    upgrade(engine, MIGRATIONS)
    consumer = EventConsumer(
        "vacancies.journey", [], handle, engine, "", None, ConsumerMetrics(CollectorRegistry()),
        prepare=prepare,
    )  # fmt: skip
    pipeline = supply_pipeline(timedelta(minutes=5))
    for service, la, events in plan:
        groups = [events] if together else [[e] for e in events]
        for group in groups:
            if service == "referrals":  # a journey batch, as the consumer gets it
                consumer._apply_in_one_transaction([Decoded(None, e) for e in group])  # type: ignore[arg-type]
            else:
                ingest_skipping_refused(engine, group, la, pipeline)


def ingest_skipping_refused(engine: Engine, events: list[Envelope], la: Any, pipeline) -> None:
    items = [json.loads(e.model_dump_json()) for e in events]
    while items:
        try:
            ingest(engine, items, la, pipeline)
            return
        except Rejected as r:
            refused = {e.index for e in r.errors}
            items = [x for i, x in enumerate(items) if i not in refused]


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    with engine.connect() as c:
        for table in TABLES:
            result = c.execute(text(f"SELECT * FROM {table}"))
            names = list(result.keys())
            out[table] = sorted(
                tuple(
                    _comparable(n, v) for n, v in zip(names, r, strict=True) if n not in WALL_CLOCK
                )
                for r in result
            )
    return out


def _comparable(column: str, value: Any) -> str:
    if column == "body":  # a feed entry: its event id is new each time
        return json.dumps({k: v for k, v in json.loads(value).items() if k != "id"})
    return str(value)


def test_a_batch_applied_together_leaves_the_rows_it_leaves_one_by_one(engine, other):
    # Derby's homes, then the last of its year (the vacancies service does not need
    # a child's earlier journey; supply about a vacancy opened earlier is refused).
    history = [
        e
        for e in backfill(1, date(2026, 3, 31), 7)
        if e.la == DERBY and e.type not in DERIVED_BY_SERVICE
    ]
    homes = [e for e in history[:-RECENT] if e.type == "home.registered.v1"]
    plan = list(posting_order(homes + history[-RECENT:], 1000))
    apply(engine, plan, together=True)
    apply(other, plan, together=False)
    together, one_by_one = dump(engine), dump(other)
    assert len(together["vacancy"]) > 50 and len(together["stay"]) > 200  # a real workload
    with engine.connect() as c:  # placements filled vacancies in this history
        assert c.execute(text("SELECT count(*) FROM vacancy WHERE status = 'filled'")).scalar()
    for table in TABLES:
        assert together[table] == one_by_one[table], table


def test_rows_changed_earlier_in_the_same_batch_are_seen_by_the_later_events(engine, other):
    today = ev.now().date().isoformat()
    supply = [ev.home("H1"), ev.opened("V1", "H1"), ev.opened("V2", "H1")]
    journey = [
        ev.placement_started("P1", "C1", "H1"),
        ev.placement_started("P2", "C1", "H1"),  # no end posted: P1 ends when P2 starts
        ev.placement_started("P3", "C2", "H1"),  # V1 was filled by P1 in this batch
    ]
    closing = [
        ev.home("H2"),
        ev.envelope("home.updated.v1", {"home_id": "H2", "weekly_price": 4800.0}, ev.DERBY),
        ev.opened("V3", "H2"),
        ev.envelope("home.deregistered.v1", {"home_id": "H2", "date": today}, ev.DERBY),
    ]  # the update reads H2's live vacancies (none); the one opened after is withdrawn too
    plan = [
        ("vacancies", ev.DERBY, parsed(supply)),
        ("referrals", ev.DERBY, parsed(journey)),
        ("vacancies", ev.DERBY, parsed(closing)),
    ]
    apply(engine, plan, together=True)
    apply(other, plan, together=False)
    together = dump(engine)
    assert together == dump(other)
    with engine.connect() as c:
        status = dict(c.execute(text("SELECT vacancy_id, status FROM vacancy")).all())
        ends = dict(c.execute(text('SELECT placement_id, "end" FROM stay')).all())
    assert status == {"V1": "filled", "V2": "filled", "V3": "withdrawn"}
    assert ends["P1"] is not None and ends["P3"] is None
