"""Snapshots cover an LA's month ends from its first fact, or from the day its
records are complete (reference data `records`), on every backend."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from services.metrics.adapters import reference_store
from services.metrics.adapters.tables import SnapshotMark
from services.metrics.service_layer.snapshots import SnapshotPublisher
from services.metrics.service_layer.state import MetricsState
from services.metrics.settings import MetricsSettings
from shared.migrations import upgrade
from tests.unit.metrics.builders import DERBY, DERBYSHIRE, admitted

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "metrics" / "migrations"
NOW = datetime(2024, 6, 15, 12, tzinfo=UTC)


def published_days(engine, la: str) -> list[date]:
    with Session(engine) as s:
        marks = s.exec(select(SnapshotMark).where(SnapshotMark.la == la)).all()
        return sorted(m.as_of for m in marks)


def test_no_snapshot_is_published_before_the_records_are_complete(engine):
    upgrade(engine, MIGRATIONS)
    state = MetricsState(MetricsSettings(), engine)
    state.load()
    # Both LAs' first fact: a child admitted in 2015, still in care when records begin.
    state.live.apply([admitted("C1", "2015-05-01"), admitted("C2", "2015-05-01", la=DERBYSHIRE)])
    rows = reference_store.parse_csv("records", "la,complete_from\nE06000015,2023-04-01\n")
    reference_store.upsert(engine, rows)
    state.reload_reference()

    SnapshotPublisher(state, timedelta(0)).run_once(NOW)

    derby, derbyshire = published_days(engine, DERBY), published_days(engine, DERBYSHIRE)
    assert derby[0] == date(2023, 4, 30) and derby[-1] == NOW.date()
    assert derbyshire[0] == date(2015, 5, 31)  # no records date: from its first fact
    assert [r.la for r in reference_store.records(engine)] == [DERBY]
