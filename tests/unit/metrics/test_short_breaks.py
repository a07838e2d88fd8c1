"""The short-break (V3/V4) boundary of "looked after at a date", and what reads the cohort.

The DfE's "looked after at 31 March" leaves out a child whose episode open on
that date has legal status V3/V4, whatever came before it in the period.
Starts and ceased leave out periods made only of short breaks.
"""

from services.metrics.domain.indicators import compute_all
from services.metrics.domain.reference import ReferenceForLa
from tests.unit.metrics.builders import admitted, d, fold, get, left_care, legal_status, started

REF = ReferenceForLa({2023: 60_000})
DAY = "2024-03-31"


def _cla(events: list, day: str = DAY) -> float | None:
    return get(compute_all(fold(events), d(day), REF), "children_in_care").value


def test_v4_after_c1_open_at_the_date_is_not_in_care():
    history = [admitted("A", "2023-01-01", ls="C1"), legal_status("A", "2024-02-01", "V4")]
    assert _cla(history) == 0
    assert _cla(history, "2024-01-31") == 1  # C1 still in force the day before the V4


def test_v4_starting_on_the_date_takes_the_child_out_that_day():
    history = [admitted("A", "2023-01-01", ls="C1"), legal_status("A", DAY, "V4")]
    assert _cla(history) == 0
    assert _cla(history, "2024-03-30") == 1


def test_a_period_of_v3_only_is_never_in_care_nor_a_start_or_an_end():
    history = [admitted("A", "2023-06-01", ls="V3"), left_care("A", "2024-01-10")]
    values = compute_all(fold(history), d(DAY), REF)
    assert get(values, "starts_12m").value == 0
    assert get(values, "ceased_12m").value == 0
    assert _cla(history, "2023-12-31") == 0


def test_c2_after_v4_is_in_care_from_the_c2_and_the_period_is_a_start():
    history = [admitted("A", "2023-06-01", ls="V4"), legal_status("A", "2023-09-01", "C2")]
    assert _cla(history, "2023-08-31") == 0
    assert _cla(history, "2023-09-01") == 1
    values = compute_all(fold(history), d(DAY), REF)
    assert get(values, "starts_12m").value == 1  # not short breaks only: a start


def test_a_short_break_at_the_date_leaves_the_child_out_of_mix_and_stability():
    history = [
        admitted("A", "2023-01-01", ls="C2"),
        started("A", "A1", "2023-01-01", place="R1"),
        legal_status("A", "2024-03-01", "V3"),
        admitted("B", "2023-01-01", ls="C2"),
        started("B", "B1", "2023-01-01", place="U1"),
    ]
    values = compute_all(fold(history), d(DAY), REF)
    assert get(values, "children_in_care").value == 1
    assert get(values, "three_plus_placements").denominator == 1
    fostering = [i for i in values if i.name == "placement_mix"]
    assert fostering and all(i.denominator == 1 for i in fostering)
