"""Metrics replicas on one database: each keeps its own consumer (group, inbox),
the event log holds each event once, and a restarted replica folds exactly the
events its own consumer applied, so what it consumes next is folded once."""

import socket
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from alembic import command
from prometheus_client import CollectorRegistry
from sqlalchemy import text
from sqlmodel import Session, func, select

from services.metrics.adapters import event_log
from services.metrics.adapters.tables import MetricsEvent
from services.metrics.service_layer.snapshots import SnapshotPublisher
from services.metrics.service_layer.state import MetricsState
from services.metrics.settings import MetricsSettings
from shared.kafka.consumer import ConsumerMetrics, Decoded, EventConsumer
from shared.migrations import config, upgrade
from shared.store.tables import OutboxMessage
from tests.unit.metrics.builders import DERBY, admitted

NOW = datetime(2024, 6, 15, 12, tzinfo=UTC)
MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "metrics" / "migrations"


def replica(engine, replica_id: str) -> tuple[MetricsState, EventConsumer]:
    settings = MetricsSettings(replica_id=replica_id)
    state = MetricsState(settings, engine)
    consumer = EventConsumer(
        state.consumer,
        [],
        event_log.append,
        engine,
        "unused:9092",
        None,  # no dead letters here
        ConsumerMetrics(CollectorRegistry()),
    )
    return state, consumer


def consume(consumer: EventConsumer, events) -> list:
    """One batch through the consumer's own transaction (inbox, log), as it applies a poll."""
    return consumer._apply_in_one_transaction([Decoded(None, e) for e in events])


def logged(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(MetricsEvent)).one()


def test_replicas_log_each_event_once_and_rebuild_what_they_consumed(engine):
    upgrade(engine, MIGRATIONS)
    a_state, a = replica(engine, "metrics-0")
    b_state, b = replica(engine, "metrics-1")
    assert a.name == "metrics.projection.metrics-0" != b.name
    e1, e2, e3 = (admitted(f"C{n}", "2024-05-01") for n in (1, 2, 3))

    assert consume(a, [e1, e2]) == [e1, e2]
    assert consume(b, [e2, e3]) == [e2, e3]  # e2 is new to b's projection
    assert consume(a, [e2]) == []  # a redelivery to a changes nothing
    assert logged(engine) == 3

    # A restart folds its own consumer's events; e3 reaches a later, through a.
    assert [e.id for batch in event_log.read_all(engine, a.name) for e in batch] == [e1.id, e2.id]
    assert a_state.load() == 2
    assert b_state.load() == 2
    assert consume(a, [e3]) == [e3]
    assert logged(engine) == 3
    restarted = MetricsState(a_state.settings, engine)
    assert restarted.load() == 3
    assert in_care(restarted) == (in_care(b_state) or 0) + 1 == 3


def in_care(state: MetricsState) -> float | None:
    values = state.live.indicators(DERBY, date(2024, 6, 1))
    return next(v.value for v in values if v.name == "children_in_care" and not v.breakdown)


def test_one_replica_keeps_the_single_consumer_name():
    assert MetricsSettings().projection_consumer() == "projection"
    assert MetricsSettings(replica_id="metrics-1").projection_consumer() == "projection.metrics-1"
    # Compose: the container's host name (its id) names the replica.
    named = MetricsSettings(replica_id_from_hostname=True).projection_consumer()
    assert named == f"projection.{socket.gethostname()[:60]}"


def test_two_replicas_publish_each_snapshot_content_once(engine):
    upgrade(engine, MIGRATIONS)
    replicas = [MetricsState(MetricsSettings(replica_id=f"metrics-{n}"), engine) for n in (0, 1)]
    events = [admitted("C1", "2024-05-01"), admitted("C2", "2024-05-20")]
    published = []
    for state in replicas:
        state.load()
        state.live.apply(events)  # both folded the same events
        published.append(SnapshotPublisher(state, timedelta(0)).run_once(NOW))
    assert published[0] > 0 and published[1] == 0
    assert outbox_rows(engine) == published[0]

    replicas[1].live.apply([admitted("C3", "2024-06-01")])  # one replica is ahead
    assert SnapshotPublisher(replicas[1], timedelta(0)).run_once(NOW) == 1  # today's only
    assert outbox_rows(engine) == published[0] + 1


def outbox_rows(engine) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(OutboxMessage)).one()


def test_the_migration_keys_the_rows_logged_before_it(engine):
    """A store from before replicas: its logged events get their (source, id)
    from their bodies, and the single replica's restart folds them all."""
    cfg = config(MIGRATIONS)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "70487ec6a389")
    e1, e2 = admitted("C1", "2024-05-01"), admitted("C2", "2024-05-01")
    with engine.begin() as conn:
        for e in (e1, e2):
            conn.execute(
                text("INSERT INTO metrics_event (la, type, body) VALUES (:la, :type, :body)"),
                {"la": e.la, "type": e.type, "body": e.model_dump_json()},
            )
            conn.execute(
                text(
                    "INSERT INTO processed_event (consumer, source, event_id, processed_at) "
                    "VALUES ('metrics.projection', :source, :id, CURRENT_TIMESTAMP)"
                ),
                {"source": e.source, "id": str(e.id)},
            )
    upgrade(engine, MIGRATIONS)
    with Session(engine) as s:
        keys = {(r.source, r.event_id) for r in s.exec(select(MetricsEvent))}
    assert keys == {(e.source, str(e.id)) for e in (e1, e2)}
    assert MetricsState(MetricsSettings(), engine).load() == 2


def test_a_replica_folds_only_its_own_events_wherever_they_sit_in_the_log(engine):
    upgrade(engine, MIGRATIONS)
    _, a = replica(engine, "metrics-0")
    _, b = replica(engine, "metrics-1")
    e1, e2, e3, e4 = (admitted(f"C{n}", "2024-05-01") for n in (1, 2, 3, 4))
    consume(a, [e1])
    consume(b, [e2])  # logged between a's events, not in a's inbox
    consume(a, [e3])
    consume(b, [e4])

    def folded(consumer: EventConsumer) -> list:
        return [e.id for batch in event_log.read_all(engine, consumer.name, 1) for e in batch]

    assert folded(a) == [e1.id, e3.id]
    assert folded(b) == [e2.id, e4.id]


def test_the_log_is_read_by_its_key_and_the_inbox_probed_by_its_key(tmp_path):
    """SQLite has no statistics on a replayed store: a join of log and inbox in
    every page let it drive each page from the consumer's whole inbox and sort
    it (a national load took three times as long). The pages walk the log's
    key alone; the one anti-join probes the inbox's key, sorting nothing."""
    from sqlalchemy.dialects import sqlite

    from shared.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'plan.db'}", "metrics")
    upgrade(engine, MIGRATIONS)

    def plan(query) -> list[str]:
        sql = query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
        with engine.connect() as connection:
            return [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]

    page = plan(event_log._page(0, 10**9, 5000))
    assert page == ["SEARCH metrics_event USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"], page
    unapplied = plan(event_log._unapplied_query("metrics.projection.metrics-0", 10**9))
    assert any(
        "SEARCH processed_event USING COVERING INDEX sqlite_autoindex" in s for s in unapplied
    )
    assert not any("TEMP B-TREE" in step for step in unapplied), unapplied
