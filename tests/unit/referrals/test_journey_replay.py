"""A new child's history replayed in memory: the pipeline's rules and placement rows."""

from datetime import UTC, date, datetime, timedelta

from services.referrals.domain.journey_replay import replay_new_child
from services.referrals.domain.journey_rules import PlacementState
from services.referrals.domain.ssda903.episodes_to_events import import_return
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
