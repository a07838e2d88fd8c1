"""Occupied and registered places of a home on any date."""

from datetime import date

from services.vacancies.domain.occupancy import Stay, occupancy, places_on, totals

D = date.fromisoformat
HISTORY = [(D("2024-01-10"), 3), (D("2024-03-01"), 4), (D("2024-06-01"), 0)]  # 0: deregistered
STAYS = [
    Stay(D("2024-01-15"), D("2024-02-01")),
    Stay(D("2024-02-01"), None),
    Stay(D("2024-03-05"), D("2024-04-01")),
]


def test_registered_places_follow_the_history():
    assert places_on(HISTORY, D("2024-01-09")) == 0
    assert places_on(HISTORY, D("2024-01-10")) == 3
    assert places_on(HISTORY, D("2024-03-31")) == 4
    assert places_on(HISTORY, D("2024-06-01")) == 0


def test_a_stay_occupies_from_its_start_until_the_day_it_ends():
    jan = occupancy("H1", HISTORY, STAYS, D("2024-01-31"))
    assert (jan.registered_places, jan.occupied_places, jan.vacant_places) == (3, 1, 2)
    feb1 = occupancy("H1", HISTORY, STAYS, D("2024-02-01"))
    assert feb1.occupied_places == 1  # one left that day, one arrived
    march = occupancy("H1", HISTORY, STAYS, D("2024-03-10"))
    assert (march.occupied_places, march.occupancy_ratio) == (2, 0.5)
    assert occupancy("H1", HISTORY, STAYS, D("2024-07-01")).occupancy_ratio is None


def test_totals_add_homes():
    day = D("2024-03-10")
    both = totals([occupancy("A", HISTORY, STAYS, day), occupancy("B", HISTORY, [], day)], day)
    assert (both.registered_places, both.occupied_places) == (8, 2)
