"""A legal status change and a change of placement on one day export as one
new episode, whatever the order of the events that day (the 903 has no
episode that ends the day it starts, and refuses two starting the same day)."""

from datetime import UTC, datetime

from services.referrals.domain.ssda903.events_to_episodes import events_to_episodes
from tests.unit.metrics.builders import DERBY, admitted, ended, left_care, legal_status, started


def at(event, hour: int):
    day = event.data.date
    return event.model_copy(
        update={"time": datetime(day.year, day.month, day.day, hour, tzinfo=UTC)}
    )


def test_status_changed_before_the_move_gives_one_episode_with_the_move_s_reasons():
    events = [
        at(admitted("C1", "2024-05-01", ls="L2"), 9),
        at(started("C1", "P1", "2024-05-01", reason="S"), 10),
        at(legal_status("C1", "2024-05-04", "C1"), 9),  # before the placement ends
        at(ended("C1", "P1", "2024-05-04", why="CARPL"), 10),
        at(started("C1", "P2", "2024-05-04", reason="B", place="U6"), 11),
    ]
    first, second = events_to_episodes(events, la=DERBY, year=2024)
    assert (first.rne, first.ls, first.dec, first.rec) == ("S", "L2", second.decom, "X1")
    assert first.reason_place_change == "CARPL"
    assert (second.rne, second.ls, second.place, second.dec) == ("B", "C1", "U6", None)


def test_status_changed_on_the_day_the_child_leaves_care_ends_the_episode_before():
    events = [
        at(admitted("C1", "2024-05-01"), 9),
        at(started("C1", "P1", "2024-05-01", reason="S"), 10),
        at(legal_status("C1", "2024-09-02", "E1"), 9),
        at(ended("C1", "P1", "2024-09-02"), 10),
        at(left_care("C1", "2024-09-02", reason="E13"), 11),
    ]
    (only,) = events_to_episodes(events, la=DERBY, year=2024)
    assert (only.rne, only.dec, only.rec) == ("S", only.dec, "E13")
    assert str(only.dec) == "2024-09-02"
