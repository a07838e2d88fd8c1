"""Observed points on the forecast service's store, on every backend: a live
snapshot supersedes an upload of the same date, an upload revises only an
upload, and a snapshot is stored in a few statements whatever its size."""

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from services.forecast.adapters import observations
from services.forecast.adapters.tables import Observation
from shared.db import transaction
from shared.events.derived import IndicatorsSnapshot, IndicatorsSnapshotData, IndicatorValue
from shared.migrations import upgrade

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "forecast" / "migrations"
LA, OTHER = "E06000015", "E10000007"
DAY, LATER = date(2026, 3, 31), date(2026, 4, 30)


@pytest.fixture
def store(engine):
    upgrade(engine, MIGRATIONS)
    return engine


def snapshot(day: date, values: Mapping[str, float | None], la: str = LA) -> IndicatorsSnapshot:
    return IndicatorsSnapshot(
        id=uuid.uuid4(),
        source="/services/metrics",
        time=datetime(2026, 4, 1, tzinfo=UTC),
        la=la,
        subject=f"{la}/{day.isoformat()}",
        data=IndicatorsSnapshotData(
            la=la,
            as_of=day,
            indicators=[IndicatorValue(name=n, value=v) for n, v in values.items()],
        ),
    )


def rows(engine) -> dict[tuple[str, str, date], tuple[float, str]]:
    with Session(engine) as s:
        return {(o.la, o.series, o.date): (o.value, o.origin) for o in s.exec(select(Observation))}


def upload(engine, *points: tuple[str, str, date, float]) -> None:
    with transaction(engine) as s:
        observations.store(s, points, "upload")


def record(engine, *snapshots: IndicatorsSnapshot) -> None:
    with transaction(engine) as s:
        for one in snapshots:
            observations.record_snapshot(s, one)


def test_a_snapshot_supersedes_an_upload_of_the_same_date(store):
    upload(store, (LA, "children_in_care", DAY, 100.0), (LA, "children_in_care", LATER, 101.0))
    record(store, snapshot(DAY, {"children_in_care": 120.0, "starts": 7.0}))
    assert rows(store) == {
        (LA, "children_in_care", DAY): (120.0, "snapshot"),
        (LA, "starts", DAY): (7.0, "snapshot"),
        (LA, "children_in_care", LATER): (101.0, "upload"),
    }


def test_an_upload_does_not_replace_a_snapshot_but_revises_an_upload(store):
    record(store, snapshot(DAY, {"children_in_care": 120.0}))
    upload(store, (LA, "children_in_care", LATER, 90.0))
    upload(
        store,
        (LA, "children_in_care", DAY, 100.0),
        (LA, "children_in_care", LATER, 95.0),
        (OTHER, "children_in_care", DAY, 50.0),
    )
    assert rows(store) == {
        (LA, "children_in_care", DAY): (120.0, "snapshot"),
        (LA, "children_in_care", LATER): (95.0, "upload"),
        (OTHER, "children_in_care", DAY): (50.0, "upload"),
    }


def test_a_later_snapshot_of_a_date_revises_it_in_the_same_transaction_too(store):
    record(store, snapshot(DAY, {"children_in_care": 120.0, "starts": 7.0}))
    record(
        store,
        snapshot(DAY, {"children_in_care": 121.0, "starts": 7.0}),
        snapshot(DAY, {"children_in_care": 122.0, "starts": None, "ceased": 3.0}),
    )
    assert rows(store) == {
        (LA, "children_in_care", DAY): (122.0, "snapshot"),
        (LA, "starts", DAY): (7.0, "snapshot"),  # a missing value leaves the point alone
        (LA, "ceased", DAY): (3.0, "snapshot"),
    }


def test_a_point_given_twice_keeps_its_last_value(store):
    upload(store, (LA, "children_in_care", DAY, 1.0), (LA, "children_in_care", DAY, 2.0))
    with transaction(store) as s:
        observations.upsert(s, LA, "children_in_care", DAY, 3.0, "upload")
        observations.upsert(s, LA, "children_in_care", DAY, 4.0, "upload")
    assert rows(store) == {(LA, "children_in_care", DAY): (4.0, "upload")}


def test_placement_mix_feeds_the_children_in_care_series_by_category(store):
    event = snapshot(DAY, {"children_in_care": 120.0})
    event.data.indicators.append(
        IndicatorValue(name="placement_mix.fostering", value=0.7, numerator=84, denominator=120)
    )
    record(store, event)
    assert rows(store)[(LA, "children_in_care.fostering", DAY)] == (84.0, "snapshot")


def test_a_snapshot_is_stored_in_a_few_statements_whatever_its_size(store):
    statements: list[str] = []

    def seen(conn, cursor, statement, *_):
        if "observation" in statement:
            statements.append(statement)

    first = {f"indicator_{i}": float(i) for i in range(450)}  # more than one lookup chunk
    upload(store, (LA, "indicator_0", DAY, -1.0), (LA, "indicator_1", DAY, -1.0))
    event.listen(store, "before_cursor_execute", seen)
    try:
        record(store, snapshot(DAY, first))
        new_and_superseded = len(statements)
        statements.clear()
        record(store, snapshot(DAY, first | {"indicator_3": 33.0, "indicator_4": 44.0}))
        revised = len(statements)
    finally:
        event.remove(store, "before_cursor_execute", seen)
    held = rows(store)
    assert len(held) == 450
    assert held[(LA, "indicator_1", DAY)] == (1.0, "snapshot")
    assert held[(LA, "indicator_3", DAY)] == (33.0, "snapshot")
    assert held[(LA, "indicator_449", DAY)] == (449.0, "snapshot")
    assert new_and_superseded <= 4  # two lookups, an insert and an update
    assert revised <= 3  # two lookups and an update
