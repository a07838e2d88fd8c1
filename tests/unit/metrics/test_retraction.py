"""Retractions in the fold: what the retracted event said is gone, idempotently."""

import itertools

from services.metrics.domain.facts import PeriodOfCare
from tests.unit.metrics.builders import (
    admitted,
    corrected,
    d,
    derived,
    ended,
    fold,
    left_care,
    legal_status,
    retraction,
    started,
)

HISTORY = [
    admitted("C1", "2023-05-01", ls="C2"),
    started("C1", "P1", "2023-05-01", reason="S", place="U4"),
    legal_status("C1", "2023-08-01", "E1"),
    corrected("C1", "2023-09-01", sex=2),
    ended("C1", "P1", "2023-10-01"),
    started("C1", "P2", "2023-10-01", place="U5"),
    left_care("C1", "2024-02-01"),
]


def test_retracting_every_event_leaves_nothing_of_the_child():
    facts = fold([*HISTORY, *(retraction(e, "withdrawn") for e in HISTORY)])
    assert derived(facts) == derived(fold([]))


def test_a_corrected_start_keeps_the_placements_reported_end():
    wrong = HISTORY[1]
    right = started("C1", "P1", "2023-05-01", reason="S", place="R1")
    facts = fold([*HISTORY, retraction(wrong), right])
    expected = fold([*HISTORY[:1], right, *HISTORY[2:]])
    assert derived(facts) == derived(expected)
    placement = facts.placements["P1"]
    assert (placement.place, placement.end, placement.change_reason) == (
        "R1",
        d("2023-10-01"),
        "CARPL",
    )


def test_a_retraction_is_idempotent_and_may_come_before_its_event():
    wrong = HISTORY[6]
    without = fold(HISTORY[:6])
    twice = fold([*HISTORY, retraction(wrong), retraction(wrong)])
    assert derived(twice) == derived(without)
    first = retraction(wrong)
    for at in range(len(HISTORY) + 1):  # the retraction anywhere in the stream
        assert derived(fold([*HISTORY[:at], first, *HISTORY[at:]])) == derived(without)
    for order in itertools.permutations(HISTORY[4:]):  # and the rest in any order
        assert derived(fold([*HISTORY[:4], first, *order])) == derived(without)
    # the retracted event again (a redelivery) changes nothing
    assert derived(fold([*HISTORY, first, wrong])) == derived(without)
    assert without.periods["C1"] == [PeriodOfCare("C1", d("2023-05-01"), None, None)]


def test_a_retraction_leaves_a_corrected_statement_that_came_first_alone():
    wrong = HISTORY[2]
    right = legal_status("C1", "2023-08-01", "C1")
    facts = fold([*HISTORY, right, retraction(wrong)])
    assert [s.legal_status for s in facts.legal_statuses["C1"]] == ["C2", "C1"]


def test_a_retracted_end_no_longer_ends_the_placement():
    facts = fold([*HISTORY[:5], retraction(HISTORY[4], "withdrawn")])
    assert facts.placements["P1"].end is None and facts.placements["P1"].reported_end is None
