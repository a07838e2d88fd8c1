"""3 or more placements in the year, and long-term stability."""

from services.metrics.domain.dates import age_on
from services.metrics.domain.indicators import compute_all
from services.metrics.domain.reference import ReferenceForLa
from tests.unit.metrics.builders import admitted, d, ended, figures, fold, get, started

DAY = d("2024-03-31")  # window 2023-04-01..2024-03-31


def three_plus(events, day=DAY):
    return figures(get(compute_all(fold(events), day, ReferenceForLa()), "three_plus_placements"))


def test_three_plus_placements_counts_as_the_dfe_does():
    events = [
        # X: open at window start, then a new carer, then a same-carer move (T): 2
        admitted("X", "2022-06-01"),
        started("X", "X1", "2022-06-01", reason="S"),
        started("X", "X2", "2023-07-01", reason="P"),
        started("X", "X3", "2023-10-01", reason="T"),
        # Y: open at window start, then two new carers: 3
        admitted("Y", "2022-06-01"),
        started("Y", "Y1", "2022-06-01", reason="S"),
        started("Y", "Y2", "2023-06-01", reason="P"),
        started("Y", "Y3", "2023-09-01", reason="B"),
        # Z: all in the window; the U move keeps the carer: S, P, (U), P = 3
        admitted("Z", "2023-05-01"),
        started("Z", "Z1", "2023-05-01", reason="S"),
        started("Z", "Z2", "2023-06-01", reason="P"),
        started("Z", "Z3", "2023-07-01", reason="U"),
        started("Z", "Z4", "2023-08-01", reason="P"),
        # W: W1 ended before the window; W2 open at its start; one more new carer: 2
        admitted("W", "2022-01-01"),
        started("W", "W1", "2022-01-01", reason="S"),
        ended("W", "W1", "2023-03-31"),
        started("W", "W2", "2023-03-31", reason="P"),
        started("W", "W3", "2023-06-01", reason="P"),
    ]
    assert three_plus(events) == (0.5, 2, 4)


def test_a_placement_ending_on_the_first_day_of_the_window_counts():
    events = [
        admitted("V", "2022-01-01"),
        started("V", "V1", "2022-01-01", reason="S"),
        ended("V", "V1", "2023-04-01"),
        started("V", "V2", "2023-04-01", reason="P"),
        started("V", "V3", "2023-09-01", reason="P"),
    ]
    assert three_plus(events) == (1.0, 1, 1)


def test_same_carer_moves_are_not_new_placements():
    events = [
        admitted("T", "2023-05-01"),
        started("T", "T1", "2023-05-01", reason="S"),
        started("T", "T2", "2023-06-01", reason="T"),
        started("T", "T3", "2023-07-01", reason="U"),
        started("T", "T4", "2023-08-01", reason="T"),
    ]
    assert three_plus(events) == (0.0, 0, 1)


def test_age_is_taken_from_the_first_of_the_birth_month():
    assert age_on((2008, 3), d("2024-02-29")) == 15
    assert age_on((2008, 3), d("2024-03-01")) == 16


LONG_TERM = [
    # L1: in care since 2021-01, same carer since 2021-01 through a T move: stable
    admitted("L1", "2021-01-01", birth="2010-01"),
    started("L1", "L1a", "2021-01-01", reason="S"),
    started("L1", "L1b", "2022-06-01", reason="T"),
    # L2: new carer 2022-06-01, under 2 years before the date: not stable
    admitted("L2", "2021-01-01", birth="2010-01"),
    started("L2", "L2a", "2021-01-01", reason="S"),
    started("L2", "L2b", "2022-06-01", reason="P"),
    # L3: turns 16 on 2024-03-01; new carer 2023-01-01: not stable
    admitted("L3", "2021-01-01", birth="2008-03"),
    started("L3", "L3a", "2021-01-01", reason="S"),
    started("L3", "L3b", "2023-01-01", reason="P"),
    # L4: in care under 2.5 years at either date
    admitted("L4", "2022-01-01", birth="2010-01"),
    started("L4", "L4a", "2022-01-01", reason="S"),
    # L5: in care since exactly 2.5 years before 2024-03-31, same carer: stable
    admitted("L5", "2021-09-30", birth="2010-01"),
    started("L5", "L5a", "2021-09-30", reason="S"),
]


def test_long_term_stability_of_under_16s_in_care_two_and_a_half_years():
    values = compute_all(fold(LONG_TERM), DAY, ReferenceForLa())
    # cohort L1, L2, L5 (L3 is 16, L4 too recent); same carer 2 years: L1, L5
    assert figures(get(values, "long_term_stability")) == (round(2 / 3, 6), 2, 3)


def test_a_child_who_turns_16_leaves_the_long_term_cohort():
    values = compute_all(fold(LONG_TERM), d("2024-02-29"), ReferenceForLa())
    # cohort L1, L2, L3 (L3 still 15; L5 not yet 2.5 years in care); stable L1 only
    assert figures(get(values, "long_term_stability")) == (round(1 / 3, 6), 1, 3)


def test_same_carer_run_breaks_at_a_gap_between_placements():
    events = [
        admitted("G", "2020-01-01", birth="2012-01"),
        started("G", "G1", "2020-01-01", reason="S"),
        ended("G", "G1", "2022-06-01"),
        started("G", "G2", "2022-07-01", reason="T"),
    ]  # a month with no placement
    values = compute_all(fold(events), DAY, ReferenceForLa())
    assert figures(get(values, "long_term_stability")) == (0.0, 0, 1)
