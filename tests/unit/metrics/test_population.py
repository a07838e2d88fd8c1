"""Children in care, the rate per 10,000, starts and ceased, UASC share."""

from services.metrics.domain.indicators import compute_all
from services.metrics.domain.reference import ReferenceForLa
from tests.unit.metrics.builders import (
    admitted,
    d,
    figures,
    fold,
    get,
    left_care,
    legal_status,
    started,
)

REF = ReferenceForLa({2022: 59_000, 2023: 60_000})
HISTORY = [
    admitted("A", "2023-01-01"),  # in care throughout
    admitted("B", "2023-02-01"),
    left_care("B", "2024-03-31"),  # leaves ON the date: counted
    admitted("C", "2022-01-01"),
    left_care("C", "2024-03-30"),  # left the day before
    admitted("E", "2023-06-01", ls="V3"),
    left_care("E", "2023-12-01"),  # short breaks only
    admitted("E2", "2023-06-01", ls="V4"),  # short breaks only, still open
    admitted("F", "2023-06-01", ls="V4"),
    legal_status("F", "2023-09-01", "C2"),
    admitted("G", "2024-04-01"),  # after the date
    admitted("H", "2023-05-01"),
    left_care("H", "2023-06-01"),  # two periods in the year
    admitted("H", "2023-08-01"),
    left_care("H", "2023-10-01"),
]


def test_children_in_care_counts_cla_at_the_date_without_short_breaks():
    values = compute_all(fold(HISTORY), d("2024-03-31"), REF)
    # A and F; B ceased on the date, so B's DEC is 31 March and B is not "looked
    # after at 31 March" in the DfE's count.
    assert figures(get(values, "children_in_care")) == (2, 2, None)


def test_short_break_exclusion_looks_at_statuses_up_to_the_date():
    values = compute_all(fold(HISTORY), d("2023-07-01"), REF)
    # A, B, C in care (H is between periods); E, E2 and F have had V3/V4 only so far
    assert figures(get(values, "children_in_care")) == (3, 3, None)
    values = compute_all(fold(HISTORY), d("2023-09-01"), REF)
    # F's C2 from 1 September brings F in; H is back in care
    assert figures(get(values, "children_in_care")) == (5, 5, None)


def test_rate_per_10000_uses_the_population_of_the_collection_year():
    values = compute_all(fold(HISTORY), d("2024-03-31"), REF)  # collection year 2023
    assert figures(get(values, "children_in_care_rate_per_10000")) == (
        round(2 / 60_000 * 10_000, 6),
        2,
        60_000,
    )
    values = compute_all(fold(HISTORY), d("2023-03-31"), REF)  # 2022: A, B, C
    assert figures(get(values, "children_in_care_rate_per_10000")) == (
        round(3 / 59_000 * 10_000, 6),
        3,
        59_000,
    )


def test_rate_without_population_has_no_value():
    values = compute_all(fold(HISTORY), d("2024-03-31"), ReferenceForLa())
    assert figures(get(values, "children_in_care_rate_per_10000")) == (None, 2, None)


def test_starts_and_ceased_count_each_child_once_and_skip_short_breaks():
    values = compute_all(fold(HISTORY), d("2024-03-31"), REF)
    # window 2023-04-01..2024-03-31: started F and H (twice, once counted); not E/E2 (V3/V4)
    assert figures(get(values, "starts_12m")) == (2, 2, None)
    # ceased B (on the date), C, H (twice, once counted); not E (short breaks)
    assert figures(get(values, "ceased_12m")) == (3, 3, None)


def test_starts_window_opens_the_day_after_a_year_before():
    values = compute_all(
        fold([admitted("A", "2023-03-31"), admitted("B", "2023-04-01")]), d("2024-03-31"), REF
    )
    assert get(values, "starts_12m").value == 1


def test_uasc_share():
    facts = fold(
        [
            admitted("A", "2023-01-01", uasc=True),
            admitted("B", "2023-01-01"),
            admitted("C", "2023-01-01"),
            admitted("D", "2023-01-01"),
            admitted("E", "2023-01-01", uasc=True),
            left_care("E", "2023-06-01"),
            started("A", "P1", "2023-01-01", reason="S"),
        ]
    )
    values = compute_all(facts, d("2024-03-31"), REF)
    assert figures(get(values, "uasc_share")) == (0.25, 1, 4)


def test_a_period_continuing_from_before_the_records_is_not_a_start():
    # A 903 import's first episode with RNE other than S carries this extension.
    plain = admitted("K", "2023-06-01")
    continuing = type(plain).model_validate({**plain.model_dump(), "continuesperiod": True})
    values = compute_all(fold([continuing, admitted("L", "2023-07-01")]), d("2024-03-31"), REF)
    assert figures(get(values, "starts_12m")) == (1, 1, None)  # L only
    assert figures(get(values, "children_in_care")) == (2, 2, None)  # K is in care all the same
