"""A child's history replayed in memory: the pipeline's rules and placement rows."""

import uuid
from datetime import UTC, date, datetime, timedelta

from services.referrals.domain.journey_replay import (
    replay_new_child,
    replay_revised_child,
    revised_history,
)
from services.referrals.domain.journey_rules import PlacementState
from services.referrals.domain.ssda903.episodes_to_events import import_return
from services.referrals.domain.ssda903.revise import revise
from shared.events.journey import LegalStatusChanged, LegalStatusChangedData
from tests.unit.referrals.builders_903 import LA, SOURCE, ep, head

NOW, SKEW = datetime.now(UTC), timedelta(minutes=5)


def _events(*episodes):
    return import_return([head()], list(episodes), la=LA, source=SOURCE, year=2023).events


def test_a_history_that_holds_gives_the_state_and_placements_the_pipeline_keeps():
    events = _events(
        ep("01/05/2023", "S", "10/06/2023", "X1", rpc="CARPL"),
        ep("10/06/2023", "P", "01/02/2024", "E11"),
    )
    out = replay_new_child(events, NOW, SKEW)
    assert not out.broken
    assert out.child is not None and not out.child.in_care
    assert out.child.period_start == date(2023, 5, 1)
    assert out.child.left_care_on == date(2024, 2, 1)
    first, second = date(2023, 5, 1), date(2023, 6, 10)
    assert out.placements == {
        "A1-20230501": PlacementState("A1-20230501", "A1", first, second, True),
        "A1-20230610": PlacementState("A1-20230610", "A1", second, date(2024, 2, 1), True),
    }


def test_a_history_that_breaks_a_rule_is_left_to_the_pipeline():
    events = _events(ep("01/05/2023", "S", "10/06/2023", "E11"))
    started = next(e for e in events if e.type.startswith("placement.started"))
    assert replay_new_child([e for e in events if e is not started], NOW, SKEW).broken
    future = NOW.date() + timedelta(days=3)  # an event dated after now breaks the rules too
    late = [
        e.model_copy(update={"data": e.data.model_copy(update={"date": future})}) for e in events
    ]
    assert replay_new_child(late, NOW, SKEW).broken


def _ended_then_open():
    """A child's events as first stored (in care, then left), and as a later return
    gives them (the leaving withdrawn: still in care in another placement)."""
    before = _events(
        ep("01/05/2023", "S", "10/06/2023", "X1", rpc="CARPL"),
        ep("10/06/2023", "P", "01/02/2024", "E11"),
    )
    after = _events(
        ep("01/05/2023", "S", "10/06/2023", "X1", rpc="CARPL"),
        ep("10/06/2023", "P", "01/02/2024", "X1", rpc="CARPL"),
        ep("01/02/2024", "P"),
    )
    return before, after


def test_a_revised_history_replays_the_stored_events_still_holding_with_the_new():
    before, after = _ended_then_open()
    (child,) = revise(after, before, now=NOW)
    assert child.retractions and child.additions
    out = replay_revised_child(before, child.events, NOW, SKEW)
    assert not out.broken and out.child is not None
    assert out.child.in_care and out.child.left_care_on is None
    assert out.child.open_placement_id == "A1-20240201"
    assert out.placements["A1-20230610"].end == date(2024, 2, 1)
    assert out.placements["A1-20230610"].end_reported  # X1: the placement.ended given


def test_another_sources_stored_events_are_replayed_with_the_imports():
    before, after = _ended_then_open()
    (child,) = revise(after, before, now=NOW)
    later = date(2024, 3, 1)
    other = LegalStatusChanged(
        id=uuid.uuid4(),
        source="/la/E06000015/case-management",
        time=datetime(2024, 3, 1, tzinfo=UTC),
        subject="A1",
        la=LA,
        data=LegalStatusChangedData(child_id="A1", date=later, legal_status="C2"),
    )
    out = replay_revised_child([*before, other], child.events, NOW, SKEW)
    assert not out.broken and out.child is not None and out.child.last_date == later
    alone = replay_revised_child(before, child.events, NOW, SKEW).child
    assert alone is not None and alone.last_date < later


def test_a_retraction_that_cannot_take_effect_is_left_to_the_pipeline():
    before, after = _ended_then_open()
    (child,) = revise(after, before, now=NOW)
    assert revised_history(before, child.events) is not None
    spent = [*before, *child.retractions]  # already retracted: the same retraction again
    assert revised_history(spent, child.events) is None
    assert replay_revised_child(spent, child.events, NOW, SKEW).broken
    gone = revised_history([], child.retractions)  # nothing stored to retract
    assert gone is None
    theirs = [e.model_copy(update={"source": "/la/E06000015/other"}) for e in before]
    assert revised_history(theirs, child.events) is None  # not the import's to retract


def test_ties_in_time_keep_stored_events_before_new_ones():
    before, _ = _ended_then_open()
    again = [e.model_copy(update={"id": uuid.uuid4()}) for e in before[:1]]
    history = revised_history(before, again)
    assert history is not None
    assert [e.id for e in history if e.time == before[0].time] == [before[0].id, again[0].id]
