"""The vacancy state machine with a clock the test controls."""

import pytest

from services.vacancies.domain import lifecycle as lc
from services.vacancies.domain.lifecycle import InvalidTransition, Status
from tests.unit.vacancies.builders import T0, at, vacancy


def test_a_hold_that_lapses_reopens_the_vacancy_at_hold_until():
    held = lc.hold(vacancy(), "R1", until=at(hours=48), at=at(hours=1))
    assert held.status is Status.HELD
    assert lc.advance(held, now=at(hours=47)) == []
    [t] = lc.advance(held, now=at(hours=49))
    assert (t.kind, t.at) == ("reopened", at(hours=48))
    assert t.after.status is Status.OPEN
    # the lapsed hold stays on record, for placements reported late
    assert (t.after.held_for_referral, t.after.hold_until) == ("R1", at(hours=48))
    assert lc.hold_in_force(t.after) == (None, None)


def test_an_expiry_that_passes_closes_an_open_vacancy():
    v = vacancy(expires_at=at(days=7))
    assert lc.advance(v, now=at(days=6)) == []
    [t] = lc.advance(v, now=at(days=8))
    assert (t.kind, t.at, t.after.status) == ("expired", at(days=7), Status.EXPIRED)
    assert lc.advance(t.after, now=at(days=9)) == []  # final


def test_a_hold_lapsing_before_expiry_reopens_then_expires_in_order():
    v = lc.hold(vacancy(expires_at=at(days=3)), "R1", until=at(days=1), at=T0)
    transitions = lc.advance(v, now=at(days=5))
    assert [(t.kind, t.at) for t in transitions] == [
        ("reopened", at(days=1)),
        ("expired", at(days=3)),
    ]


def test_a_vacancy_expiring_while_held_just_expires():
    v = lc.hold(vacancy(expires_at=at(days=1)), "R1", until=at(days=2), at=T0)
    assert [t.kind for t in lc.advance(v, now=at(days=3))] == ["expired"]


def test_filling_the_last_place_closes_and_a_partial_fill_keeps_it_open():
    two = vacancy(places=2)
    once = lc.fill(two, "P1", 1, at(hours=1))
    assert (once.status, once.places_left) == (Status.OPEN, 1)
    assert lc.fill(once, "P1", 1, at(hours=2)) == once  # the same placement again
    full = lc.fill(once, "P2", 1, at(hours=3))
    assert (full.status, full.places_left) == (Status.FILLED, 0)


@pytest.mark.parametrize(
    ("before", "action"),
    [
        (lc.withdraw(vacancy(), T0), lambda v: lc.fill(v, "P1", 1, T0)),
        (lc.withdraw(vacancy(), T0), lambda v: lc.hold(v, "R1", at(days=1), T0)),
        (lc.fill(vacancy(), "P1", 1, T0), lambda v: lc.withdraw(v, T0)),
        (lc.expire(vacancy(), T0), lambda v: lc.fill(v, "P1", 1, T0)),
        (vacancy(), lambda v: lc.reopen(v, T0)),
    ],
)
def test_final_states_and_impossible_moves_are_refused(before, action):
    with pytest.raises(InvalidTransition):
        action(before)


def test_a_hold_can_be_extended_for_its_referral_but_not_taken_by_another():
    held = lc.hold(vacancy(), "R1", at(days=1), T0)
    assert lc.hold(held, "R1", at(days=2), at(hours=1)).hold_until == at(days=2)
    with pytest.raises(InvalidTransition):
        lc.hold(held, "R2", at(days=2), at(hours=1))


def test_a_placement_fills_the_vacancy_held_for_its_referral_else_the_oldest_open():
    old = vacancy("V-old", opened_at=at(days=-3))
    new = vacancy("V-new", opened_at=at(days=-1))
    held = lc.hold(vacancy("V-held", opened_at=at(days=-2)), "R9", at(days=2), T0)
    day = T0.date()
    assert lc.choose_for_placement([new, held, old], "R9", day, "P") == held
    assert lc.choose_for_placement([new, held, old], None, day, "P") == old
    assert lc.choose_for_placement([held], "R1", day, "P") is None  # held for someone else
    later = vacancy("V-later", opened_at=at(days=2))
    assert lc.choose_for_placement([later], None, day, "P") is None  # opened after the move


def test_a_hold_that_had_lapsed_by_then_is_open_to_another_referral_and_to_any_placement():
    # History posted after the fact: the scheduler has not reopened it yet.
    held = lc.hold(vacancy("V1", opened_at=at(days=-3)), "R1", at(days=1), T0)
    assert lc.hold(held, "R2", at(days=4), at(days=2)).held_for_referral == "R2"
    assert lc.choose_for_placement([held], None, at(days=2).date(), "S") == held
    assert lc.choose_for_placement([held], None, at(days=1).date(), "S") is None  # still held


def test_a_placement_with_the_same_carer_takes_no_new_place():
    v = vacancy("V1", opened_at=at(days=-3))
    for reason in ("T", "U"):  # only the placement type or legal status changed
        assert lc.choose_for_placement([v], None, T0.date(), reason) is None
    assert lc.choose_for_placement([v], None, T0.date(), "B") == v


def test_a_late_placement_is_judged_by_the_hold_in_force_on_its_day_though_the_clock_reopened_it():
    older = vacancy("V-older", opened_at=at(days=-5))
    held = lc.hold(older, "R1", at(days=3), T0)
    [t] = lc.advance(held, now=at(days=10))  # the scheduler reopened it since
    newer = vacancy("V-newer", opened_at=at(days=-2))
    day = at(days=1).date()  # the placement's day: the hold for R1 was in force
    assert lc.choose_for_placement([t.after, newer], "R2", day, "P") == newer
    assert lc.choose_for_placement([t.after, newer], "R1", day, "P") == t.after
    later = at(days=4).date()  # lapsed by then: the longest-open again
    assert lc.choose_for_placement([t.after, newer], "R2", later, "P") == t.after


def test_a_hold_placed_after_the_placements_day_does_not_keep_it_from_that_placement():
    v = vacancy("V1", opened_at=at(days=-5))
    held_later = lc.hold(v, "R9", until=at(days=6), at=at(days=4))
    assert lc.choose_for_placement([held_later], None, at(days=1).date(), "P") == held_later
    assert lc.choose_for_placement([held_later], None, at(days=5).date(), "P") is None
