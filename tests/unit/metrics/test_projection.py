"""The fold: events into facts, idempotent and independent of arrival order."""

import itertools

from services.metrics.domain.facts import LaFacts, LegalStatusSpan, PeriodOfCare
from services.metrics.domain.projection import apply
from tests.unit.metrics.builders import (
    DERBYSHIRE,
    FAR,
    HOME,
    admitted,
    corrected,
    d,
    derived,
    ended,
    fold,
    home,
    home_deregistered,
    home_updated,
    left_care,
    legal_status,
    referral,
    referral_closed,
    started,
    vacancy,
    vacancy_expired,
    vacancy_filled,
    vacancy_held,
    vacancy_reopened,
    vacancy_withdrawn,
)


def test_admission_starts_a_period_with_the_child_and_legal_status():
    facts = fold([admitted("C1", "2023-05-01", birth="2012-06", ls="C1", uasc=True)])
    assert facts.periods["C1"] == [PeriodOfCare("C1", d("2023-05-01"), None, None)]
    assert facts.legal_statuses["C1"] == [LegalStatusSpan("C1", d("2023-05-01"), "C1")]
    child = facts.children["C1"]
    assert (child.birth_month, child.uasc, child.home_location, child.la) == (
        (2012, 6),
        True,
        HOME,
        facts.la,
    )


def test_admission_while_in_care_is_ignored():
    facts = fold([admitted("C1", "2023-05-01"), admitted("C1", "2023-08-01")])
    assert facts.periods["C1"] == [PeriodOfCare("C1", d("2023-05-01"), None, None)]


def test_left_care_closes_the_period_and_the_open_placement():
    facts = fold(
        [
            admitted("C1", "2023-05-01"),
            started("C1", "P1", "2023-05-01", reason="S"),
            left_care("C1", "2023-09-30", reason="E11"),
        ]
    )
    assert facts.periods["C1"] == [PeriodOfCare("C1", d("2023-05-01"), d("2023-09-30"), "E11")]
    assert facts.placements["P1"].end == d("2023-09-30")
    assert facts.placements["P1"].reported_end is None


def test_readmission_after_leaving_starts_a_second_period():
    facts = fold(
        [admitted("C1", "2023-01-01"), left_care("C1", "2023-03-01"), admitted("C1", "2023-06-01")]
    )
    assert [(p.start, p.end) for p in facts.periods["C1"]] == [
        (d("2023-01-01"), d("2023-03-01")),
        (d("2023-06-01"), None),
    ]


def test_a_placement_start_ends_the_open_one_until_its_end_is_reported():
    facts = fold(
        [
            admitted("C1", "2023-05-01"),
            started("C1", "P1", "2023-05-01", reason="S"),
            started("C1", "P2", "2023-07-01"),
        ]
    )
    assert facts.placements["P1"].end == d("2023-07-01")
    assert facts.placements["P2"].end is None
    assert facts.placements_by_child["C1"] == ["P1", "P2"]


def test_placement_ended_after_the_next_start_gives_the_same_facts_as_in_order():
    base = [admitted("C1", "2023-05-01"), started("C1", "P1", "2023-05-01", reason="S")]
    end, start = ended("C1", "P1", "2023-07-01", why="CREQB"), started("C1", "P2", "2023-07-01")
    in_order, reversed_ = fold([*base, end, start]), fold([*base, start, end])
    assert derived(in_order) == derived(reversed_)
    assert reversed_.placements["P1"].end == d("2023-07-01")
    assert reversed_.placements["P1"].change_reason == "CREQB"


def test_every_arrival_order_of_a_history_gives_the_same_facts():
    history = [
        admitted("C1", "2023-05-01", ls="V2"),
        started("C1", "P1", "2023-05-01", reason="S"),
        ended("C1", "P1", "2023-07-01"),
        started("C1", "P2", "2023-07-01", reason="P"),
        legal_status("C1", "2023-08-01", "C2"),
        left_care("C1", "2024-01-31"),
    ]
    expected = derived(fold(history))
    assert expected["placements"]["P2"].end == d("2024-01-31")  # type: ignore[index]
    for order in itertools.permutations(history):
        assert derived(fold(order)) == expected


def test_an_end_that_arrives_before_its_start_is_parked_then_applied():
    facts = fold([admitted("C1", "2023-05-01"), ended("C1", "P1", "2023-06-01")])
    assert "P1" not in facts.placements
    apply(facts, started("C1", "P1", "2023-05-01", reason="S"))
    assert facts.placements["P1"].end == d("2023-06-01")
    assert facts.placements["P1"].reported_end == d("2023-06-01")
    assert facts.pending == {}


def test_applying_every_event_twice_changes_nothing():
    history = [
        admitted("C1", "2023-05-01"),
        started("C1", "P1", "2023-05-01", reason="S"),
        ended("C1", "P1", "2023-06-01"),
        started("C1", "P2", "2023-06-01"),
        referral("R1", "C1", "2023-05-20"),
        referral_closed("R1", "2023-06-01", placement="P2"),
        home("H1", "2020-01-01"),
        vacancy("V1", "H1", "2023-05-01", places=2),
        vacancy_filled("V1", "2023-06-01", "P2"),
    ]
    once = fold(history)
    twice = fold(e for event in history for e in (event, event))
    assert derived(twice) == derived(once)
    assert twice.vacancies["V1"].places_left == 1


def test_a_start_resent_after_its_end_keeps_the_end():
    start = started("C1", "P1", "2023-05-01", reason="S", cost=600.0)
    facts = fold([admitted("C1", "2023-05-01"), start, ended("C1", "P1", "2023-06-01"), start])
    assert facts.placements["P1"].reported_end == d("2023-06-01")
    assert facts.placements["P1"].end == d("2023-06-01")


def test_legal_status_change_adds_a_span():
    facts = fold([admitted("C1", "2023-05-01", ls="V3"), legal_status("C1", "2023-06-01", "C2")])
    assert [(s.start, s.legal_status) for s in facts.legal_statuses["C1"]] == [
        (d("2023-05-01"), "V3"),
        (d("2023-06-01"), "C2"),
    ]


def test_corrections_update_the_child_and_a_later_admission_supersedes_them():
    facts = fold(
        [
            admitted("C1", "2022-01-01", uasc=False),
            corrected("C1", "2022-02-01", uasc=True, home_location=FAR, birth_month="2011-03"),
        ]
    )
    child = facts.children["C1"]
    assert (child.uasc, child.home_location, child.birth_month) == (True, FAR, (2011, 3))
    apply(facts, left_care("C1", "2022-06-01"))
    apply(facts, admitted("C1", "2023-01-01", uasc=False, home=HOME))
    child = facts.children["C1"]
    assert (child.uasc, child.home_location) == (False, HOME)


def test_events_of_another_la_are_ignored():
    facts = fold([admitted("C1", "2023-05-01", la=DERBYSHIRE)])
    assert facts.children == {} and facts.version == 0


def test_referral_closed_before_received_is_applied_when_it_arrives():
    facts = fold(
        [
            referral_closed("R1", "2023-06-01", placement="P1"),
            referral("R1", "C1", "2023-05-01", urgency="emergency"),
        ]
    )
    r = facts.referrals["R1"]
    assert (r.received, r.closed, r.outcome, r.placement_id, r.urgency) == (
        d("2023-05-01"),
        d("2023-06-01"),
        "placed",
        "P1",
        "emergency",
    )


def test_homes_registered_updated_and_deregistered():
    facts = fold(
        [
            home("H1", "2020-01-01", places=4),
            home_updated("H1", "2022-01-01", registered_places=6, share_regionally=True),
            home_deregistered("H1", "2024-01-01"),
        ]
    )
    h = facts.homes["H1"]
    assert (h.registered_at, h.deregistered_at, h.share_regionally) == (
        d("2020-01-01"),
        d("2024-01-01"),
        True,
    )
    assert (h.places_on(d("2021-12-31")), h.places_on(d("2022-01-01"))) == (4, 6)
    assert (h.registered_on(d("2023-12-31")), h.registered_on(d("2024-01-01"))) == (True, False)


def test_vacancy_lifecycle():
    facts = fold(
        [
            home("H1", "2020-01-01", share=True),
            vacancy("V1", "H1", "2024-01-01"),
            vacancy_held("V1", "2024-01-05"),
            vacancy_reopened("V1", "2024-01-06"),
            vacancy_filled("V1", "2024-01-10", "P9"),
            vacancy_reopened("V1", "2024-01-11"),  # nothing reopens a filled vacancy
            vacancy("V2", "H1", "2024-01-01", places=2),
            vacancy_filled("V2", "2024-01-10", "P8"),
            vacancy("V3", "H1", "2024-01-01"),
            vacancy_withdrawn("V3", "2024-01-03"),
            vacancy("V4", "H1", "2024-01-01", available_from="2024-02-01"),
            vacancy_expired("V4", "2024-03-01"),
        ]
    )
    v = facts.vacancies
    assert (v["V1"].final_status, v["V1"].closed_at, v["V1"].shared_regionally) == (
        "filled",
        d("2024-01-10"),
        True,
    )
    assert (v["V2"].final_status, v["V2"].closed_at, v["V2"].places_left) == ("open", None, 1)
    assert (v["V3"].final_status, v["V3"].closed_at) == ("withdrawn", d("2024-01-03"))
    assert (v["V4"].opened_at, v["V4"].final_status) == (d("2024-02-01"), "expired")


def test_a_held_vacancy_is_still_open():
    facts = fold(
        [
            home("H1", "2020-01-01"),
            vacancy("V1", "H1", "2024-01-01"),
            vacancy_held("V1", "2024-01-05"),
        ]
    )
    assert facts.vacancies["V1"].final_status == "held"
    assert facts.vacancies["V1"].open_on(d("2024-01-06"))


def test_first_date_is_the_earliest_fact():
    assert LaFacts("E06000015").first_date() is None
    facts = fold([home("H1", "2021-03-01"), admitted("C1", "2022-01-01")])
    assert facts.first_date() == d("2021-03-01")
