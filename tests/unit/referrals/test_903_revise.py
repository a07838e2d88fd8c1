"""What an import changes per child: unchanged, added, retracted, reissued."""

from datetime import UTC, datetime

from services.referrals.domain.journey_history import effective
from services.referrals.domain.ssda903.episodes_to_events import import_returns
from services.referrals.domain.ssda903.revise import revise
from shared.events.journey import PlacementStarted, RetractionReason
from tests.unit.referrals.builders_903 import LA, SOURCE, ep, head

NOW = datetime(2025, 6, 1, tzinfo=UTC)
FIRST = [ep("01/06/2022", "S", "01/02/2023", "X1", rpc="CARPL"), ep("01/02/2023", "P")]
FIXED = [ep("01/06/2022", "S", "01/02/2023", "X1", rpc="CARPL"), ep("01/02/2023", "P", place="U5")]


def events(rows):
    return import_returns([(2022, [head("A1")], rows)], la=LA, source=SOURCE).events


def test_a_corrected_episode_retracts_the_old_events_and_adds_the_new():
    stored = events(FIRST)
    [child] = revise(events(FIXED), stored, now=NOW)
    assert [type(e) for e in child.additions] == [PlacementStarted]
    [gone] = child.retractions
    assert gone.data.event.id in {e.id for e in stored}
    assert gone.data.reason is RetractionReason.CORRECTED
    assert child.unchanged == len(stored) - 1
    history = effective([*stored, *child.events])
    assert sorted(str(e.id) for e in history) == sorted(str(e.id) for e in events(FIXED))


def test_the_same_events_again_change_nothing_and_a_fact_back_is_reissued():
    stored = events(FIRST)
    assert not any(c.changed for c in revise(events(FIRST), stored, now=NOW))
    [fix] = revise(events(FIXED), stored, now=NOW)
    stored += fix.events
    [back] = revise(events(FIRST), stored, now=NOW)
    [again] = back.additions
    original = next(
        e for e in events(FIRST)
        if isinstance(e, PlacementStarted) and e.data.placement_id == "A1-20230201"
    )  # fmt: skip
    assert again.id != original.id  # the first id is spent
    assert again.model_dump(exclude={"id"}) == original.model_dump(exclude={"id"})


def test_a_child_no_return_gives_any_more_is_withdrawn():
    stored = events(FIRST)
    [child] = revise([], stored, now=NOW)
    assert {r.data.reason for r in child.retractions} == {RetractionReason.WITHDRAWN}
    assert len(child.retractions) == len(stored) and effective([*stored, *child.events]) == []
