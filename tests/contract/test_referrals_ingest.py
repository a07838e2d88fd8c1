"""The referrals ingest pipeline against every database backend."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlmodel import Session, SQLModel, select

from services.referrals.adapters import journey_store
from services.referrals.adapters.tables import TABLES, ChildRow, PlacementRow
from services.referrals.domain.journey_rules import ChildState
from services.referrals.service_layer.journey_pipeline import journey_pipeline
from shared.db import transaction
from shared.ingest.batch import Conflict, Rejected, WrongLa, ingest
from shared.store.tables import IngestedEvent, OutboxMessage
from tests.unit.shared.builders import (
    DERBY,
    DERBYSHIRE,
    admitted,
    ended,
    left_care,
    retracted,
    started,
)

PIPE = journey_pipeline(timedelta(minutes=5))


@pytest.fixture
def db(engine):
    SQLModel.metadata.create_all(engine, tables=TABLES)
    return engine


def count(db, table) -> int:
    with Session(db) as s:
        return len(s.exec(select(table)).all())


def test_a_batch_is_accepted_then_recognised_as_duplicate(db):
    batch = [admitted(), started()]
    assert [r.status for r in ingest(db, batch, DERBY, PIPE)] == ["accepted", "accepted"]
    assert [r.status for r in ingest(db, batch, DERBY, PIPE)] == ["duplicate", "duplicate"]
    assert count(db, IngestedEvent) == 2 and count(db, OutboxMessage) == 2


def test_same_id_with_another_body_is_a_conflict(db):
    first = admitted()
    ingest(db, [first], DERBY, PIPE)
    changed = admitted(id_=first["id"])
    changed["id"] = first["id"]
    changed["data"]["sex"] = 2
    with pytest.raises(Conflict):
        ingest(db, [changed], DERBY, PIPE)


def test_an_invalid_event_rejects_the_whole_batch_with_pointer_and_reason(db):
    bad = started(child="C9")  # C9 was never admitted
    with pytest.raises(Rejected) as info:
        ingest(db, [admitted(), bad], DERBY, PIPE)
    [error] = info.value.errors
    assert (error.index, error.pointer, error.reason) == (1, "/data/child_id", "unknown_child")
    assert count(db, IngestedEvent) == 0 and count(db, ChildRow) == 0


def test_another_las_event_is_refused(db):
    raw = admitted()
    with pytest.raises(WrongLa):
        ingest(db, [raw], DERBYSHIRE, PIPE)


def test_placement_ended_arriving_after_the_next_start_is_matched(db):
    ingest(db, [admitted(), started(placement="P1")], DERBY, PIPE)
    ingest(db, [started(placement="P2", date="2024-06-01", reason="P")], DERBY, PIPE)
    ingest(db, [ended(placement="P1", date="2024-06-01")], DERBY, PIPE)
    with Session(db) as s:
        p1 = s.get(PlacementRow, (DERBY, "P1"))
        child = s.get(ChildRow, (DERBY, "C1"))
    assert p1 is not None and p1.end is not None and child is not None
    assert p1.end.isoformat() == "2024-06-01" and p1.end_reported
    assert child.open_placement_id == "P2"


def test_nothing_after_leaving_care_but_a_new_admission(db):
    ingest(db, [admitted(), started(), left_care(date="2024-07-01")], DERBY, PIPE)
    with pytest.raises(Rejected) as info:
        ingest(db, [started(placement="P2", date="2024-08-01")], DERBY, PIPE)
    assert info.value.errors[0].reason == "left_care"
    again = [admitted(date="2024-09-01"), started(placement="P3", date="2024-09-01")]
    assert [r.status for r in ingest(db, again, DERBY, PIPE)] == ["accepted", "accepted"]


def placement(db, pid: str) -> tuple:
    with Session(db) as s:
        row = s.get(PlacementRow, (DERBY, pid))
        return (row.start, row.end, row.end_reported) if row else ()


def test_a_retraction_takes_the_event_out_of_the_childs_history(db):
    adm, start, end = admitted(), started(), ended()
    ingest(db, [adm, start, end], DERBY, PIPE)
    assert placement(db, "P1")[1:] == (date(2024, 6, 1), True)
    assert [r.status for r in ingest(db, [retracted(end)], DERBY, PIPE)] == ["accepted"]
    assert placement(db, "P1")[1:] == (None, False)
    with Session(db) as s:
        child = s.get(ChildRow, (DERBY, "C1"))
        assert child is not None and child.open_placement_id == "P1"
    # the same event retracted again under another id
    with pytest.raises(Rejected) as info:
        ingest(db, [retracted(end)], DERBY, PIPE)
    assert info.value.errors[0].reason == "already_retracted"


def test_a_correction_retracts_first_then_adds_in_one_batch(db):
    adm, start, end = admitted(), started(), ended()
    ingest(db, [adm, start, end], DERBY, PIPE)
    fixed = started(placement_type="U5")  # the same placement id, corrected
    results = ingest(db, [retracted(start, "corrected"), fixed], DERBY, PIPE)
    assert [r.status for r in results] == ["accepted", "accepted"]
    # the stored end still matches the corrected start
    assert placement(db, "P1") == (date(2024, 5, 1), date(2024, 6, 1), True)


def test_a_retraction_that_would_break_the_history_or_is_not_ours_is_refused(db):
    adm, start = admitted(), started()
    ingest(db, [adm, start], DERBY, PIPE)
    with pytest.raises(Rejected) as info:
        ingest(db, [retracted(adm)], DERBY, PIPE)  # the placement would have no child in care
    [error] = info.value.errors
    assert (error.index, error.pointer, error.reason) == (0, "/data/event", "unknown_child")
    with pytest.raises(Rejected) as info:
        ingest(db, [retracted(start, source="/la/E06000015/other")], DERBY, PIPE)
    assert info.value.errors[0].reason == "not_own_event"
    with pytest.raises(Rejected) as info:
        ingest(db, [retracted(ended())], DERBY, PIPE)  # never stored
    assert info.value.errors[0].reason == "unknown_event"
    assert placement(db, "P1") == (date(2024, 5, 1), None, False)  # nothing changed


def test_state_rows_written_at_commit_are_every_column_of_the_state(db):
    ingest(db, [admitted(), started(placement="P1")], DERBY, PIPE)
    ingest(db, [started(placement="P2", date="2024-06-01", reason="P")], DERBY, PIPE)
    with Session(db) as s:
        child = s.get(ChildRow, (DERBY, "C1"))
        placements = s.exec(select(PlacementRow).order_by(PlacementRow.placement_id)).all()
    assert child is not None
    assert (child.in_care, child.period_start, child.left_care_on, child.last_date) == (
        True,
        date(2024, 5, 1),
        None,
        date(2024, 6, 1),
    )
    assert (child.open_placement_id, child.open_placement_start) == ("P2", date(2024, 6, 1))
    assert [(p.placement_id, p.child_id, p.start, p.end, p.end_reported) for p in placements] == [
        ("P1", "C1", date(2024, 5, 1), date(2024, 6, 1), False),  # closed by the next start
        ("P2", "C1", date(2024, 6, 1), None, False),
    ]


def test_state_changed_in_a_transaction_is_seen_by_its_queries_and_kept_only_on_commit(db):
    state = ChildState("C7", True, date(2024, 5, 1), None, date(2024, 5, 1))
    with pytest.raises(RuntimeError), transaction(db) as s:
        journey_store.save_child(s, DERBY, state)
        saved = s.get(ChildRow, (DERBY, "C7"))
        assert saved is not None and saved.last_date == date(2024, 5, 1)
        raise RuntimeError("roll back")
    assert count(db, ChildRow) == 0
    with transaction(db) as s:
        journey_store.save_child(s, DERBY, state)
    with transaction(db) as s:  # a stored row is updated, then forgotten and added again
        assert journey_store.load_child(s, DERBY, "C7") == state
        journey_store.save_child(s, DERBY, replace(state, last_date=date(2024, 6, 1)))
        journey_store.forget_child(s, DERBY, "C7")
        assert journey_store.load_child(s, DERBY, "C7") is None
        journey_store.save_child(s, DERBY, replace(state, in_care=False))
    with Session(db) as s:
        [row] = s.exec(select(ChildRow)).all()
    assert (row.in_care, row.last_date) == (False, date(2024, 5, 1))


@pytest.mark.parametrize("cost", [float("inf"), float("nan"), 1e400, 2_000_000.0, -1.0])
def test_a_weekly_cost_not_finite_or_beyond_any_placement_is_refused(db, cost):
    """JSON's 1e400 and Python's Infinity and NaN read as floats that are no
    cost; sums of huge ones overflow every mean built on them."""
    placed = started()
    placed["data"]["weekly_cost"] = cost
    with pytest.raises(Rejected) as info:
        ingest(db, [admitted(), placed], DERBY, PIPE)
    assert [(e.index, e.pointer) for e in info.value.errors] == [(1, "/data/weekly_cost")]
    assert count(db, IngestedEvent) == 0
