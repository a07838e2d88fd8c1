"""Occupancy of the LA's own homes, and open vacancies."""

from services.metrics.domain.indicators import compute_all
from services.metrics.domain.reference import ReferenceForLa
from tests.unit.metrics.builders import (
    NOTTINGHAM,
    admitted,
    d,
    figures,
    fold,
    get,
    home,
    home_deregistered,
    home_updated,
    left_care,
    started,
    vacancy,
    vacancy_filled,
    vacancy_held,
    vacancy_withdrawn,
)

DAY = d("2024-03-31")
HOMES = [
    home("H1", "2020-01-01", kind="childrens_home", provider="own_la", places=4),
    home_updated("H1", "2024-02-01", registered_places=5),
    home("H2", "2020-01-01", kind="foster_household", provider="own_la", places=2),
    home(
        "H3",
        "2020-01-01",
        kind="childrens_home",
        provider="private",
        places=6,
        location_la=NOTTINGHAM,
        share=True,
    ),
    home("H4", "2020-01-01", kind="childrens_home", provider="own_la", places=3),
    home_deregistered("H4", "2024-01-01"),
]
OCCUPANTS = [
    admitted("A", "2023-01-01"),
    started("A", "PA", "2023-01-01", reason="S", home_id="H1"),
    admitted("B", "2023-01-01"),
    started("B", "PB", "2023-01-01", reason="S", home_id="H1"),
    admitted("C", "2023-01-01"),
    started("C", "PC", "2023-01-01", reason="S", home_id="H1"),
    left_care("C", "2024-03-31"),  # leaves on the date: the bed is free at its end
    admitted("E", "2023-01-01", ls="V3"),  # short breaks use a bed too
    started("E", "PE", "2023-01-01", reason="S", home_id="H2"),
    admitted("F", "2023-01-01"),
    started("F", "PF", "2023-01-01", reason="S", home_id="H3"),
]


def test_own_home_occupancy_by_kind():
    values = compute_all(fold([*HOMES, *OCCUPANTS]), DAY, ReferenceForLa())
    assert figures(get(values, "own_home_occupancy", "childrens_home")) == (0.4, 2, 5)
    assert figures(get(values, "own_home_occupancy", "foster_household")) == (0.5, 1, 2)
    assert figures(get(values, "own_home_occupancy")) == (round(3 / 7, 6), 3, 7)


def test_own_home_occupancy_uses_the_places_and_homes_in_force_at_the_date():
    values = compute_all(fold([*HOMES, *OCCUPANTS]), d("2023-12-31"), ReferenceForLa())
    # H1 4 places with A, B, C; H4 (3 places, empty) still registered
    assert figures(get(values, "own_home_occupancy", "childrens_home")) == (round(3 / 7, 6), 3, 7)


VACANCIES = [
    vacancy("V1", "H1", "2024-03-01"),
    vacancy("V2", "H3", "2024-03-21", places=2),
    vacancy("V3", "H2", "2024-02-01"),
    vacancy_held("V3", "2024-02-10"),
    vacancy("V4", "H1", "2024-01-01"),
    vacancy_filled("V4", "2024-02-01", "PX"),
    vacancy("V5", "H1", "2024-01-01"),
    vacancy_withdrawn("V5", "2024-03-31"),
    vacancy("V6", "H1", "2024-03-31", available_from="2024-04-02"),
]


def test_open_vacancies_by_kind_provider_and_location():
    values = compute_all(fold([*HOMES, *VACANCIES]), DAY, ReferenceForLa())
    # open: V1 (1 place), V2 (2), V3 (1, held); V4 filled, V5 withdrawn on the date,
    # V6 not available until April
    assert figures(get(values, "open_vacancies")) == (4, 4, None)
    assert figures(get(values, "open_vacancies", "childrens_home")) == (3, 3, None)
    assert figures(get(values, "open_vacancies", "foster_household")) == (1, 1, None)
    assert figures(get(values, "open_vacancies_by_provider", "own_la")) == (2, 2, None)
    assert figures(get(values, "open_vacancies_by_provider", "private")) == (2, 2, None)
    assert figures(get(values, "open_vacancies_by_location_la", "E06000015")) == (2, 2, None)
    assert figures(get(values, "open_vacancies_by_location_la", NOTTINGHAM)) == (2, 2, None)


def test_vacancy_mean_days_open_and_shared_ratio():
    values = compute_all(fold([*HOMES, *VACANCIES]), DAY, ReferenceForLa())
    # V1 30 days, V2 10 days, V3 59 days (2024 is a leap year)
    assert figures(get(values, "vacancy_mean_days_open")) == (33.0, 99, 3)
    assert figures(get(values, "vacancy_shared_ratio")) == (round(1 / 3, 6), 1, 3)


def test_a_home_registered_again_as_another_kind_counts_as_it_only_from_then():
    events = [
        *HOMES,
        vacancy("V7", "H1", "2024-03-01"),
        # H1 registered again as a private foster household: a restatement from May on
        home("H1", "2024-05-01", kind="foster_household", provider="private", places=5),
    ]
    values = compute_all(fold(events), DAY, ReferenceForLa())
    assert figures(get(values, "own_home_occupancy", "childrens_home")) == (0.0, 0, 5)
    assert figures(get(values, "open_vacancies", "childrens_home")) == (1, 1, None)
    assert figures(get(values, "open_vacancies_by_provider", "own_la")) == (1, 1, None)
    later = compute_all(fold(events), d("2024-05-01"), ReferenceForLa())
    assert figures(get(later, "open_vacancies", "foster_household")) == (1, 1, None)
    assert figures(get(later, "open_vacancies_by_provider", "private")) == (1, 1, None)
    assert all(v.breakdown != "childrens_home" for v in later if v.name == "own_home_occupancy")


def test_a_vacancy_posted_again_restates_its_opening_only_from_then():
    events = [
        *HOMES,
        vacancy("V7", "H1", "2024-03-01", available_from="2024-03-10"),
        # posted again in April: available from March 20, with 2 places
        vacancy("V7", "H1", "2024-04-05", places=2, available_from="2024-03-20"),
    ]
    facts = fold(events)
    # as of March 31 the first posting is in force: open since March 10, 1 place
    values = compute_all(facts, DAY, ReferenceForLa())
    assert figures(get(values, "open_vacancies")) == (1, 1, None)
    assert figures(get(values, "vacancy_mean_days_open")) == (21.0, 21, 1)
    # from April 5 the second one: open from the day it was posted again, 2 places
    later = compute_all(facts, d("2024-04-06"), ReferenceForLa())
    assert figures(get(later, "open_vacancies")) == (2, 2, None)
    assert figures(get(later, "vacancy_mean_days_open")) == (1.0, 1, 1)
