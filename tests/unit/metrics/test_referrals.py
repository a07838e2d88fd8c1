"""Referral to placement times, open referrals, emergency placements."""

from services.metrics.domain.indicators import compute_all
from services.metrics.domain.quantiles import quantile
from services.metrics.domain.reference import ReferenceForLa
from tests.unit.metrics.builders import (
    admitted,
    d,
    figures,
    fold,
    get,
    referral,
    referral_closed,
    started,
)

DAY = d("2024-03-31")  # window 2023-04-01..2024-03-31


def _placed(ref: str, child: str, received: str, placed: str, closed: str | None = None):
    return [
        admitted(child, received),
        referral(ref, child, received),
        started(child, f"P{ref}", placed, reason="S", referral=ref),
        referral_closed(ref, closed or placed, placement=f"P{ref}"),
    ]


HISTORY = [
    *_placed("R1", "C1", "2023-05-01", "2023-05-11"),  # 10 days
    *_placed("R2", "C2", "2023-06-01", "2023-06-04", closed="2023-06-10"),  # 3 (to the start)
    *_placed("R3", "C3", "2023-07-01", "2023-07-21"),  # 20
    *_placed("R4", "C4", "2023-08-01", "2023-08-08"),  # 7
    *_placed("R5", "C5", "2023-01-01", "2023-03-01"),  # closed before the window
    referral("R6", "C6", "2023-05-01"),
    referral_closed("R6", "2023-05-20", outcome="withdrawn"),
    referral("R7", "C7", "2023-07-01"),  # placement not known to metrics: to the close, 30
    referral_closed("R7", "2023-07-31", placement="PX"),
    referral("R8", "C8", "2024-03-01"),  # open at the date, 30 days old
    referral("R9", "C9", "2024-01-31"),
    referral_closed("R9", "2024-04-15", placement="PY"),
    referral("R10", "C10", "2024-04-01"),  # after the date
]


def test_referral_to_placement_median_and_p90():
    values = compute_all(fold(HISTORY), DAY, ReferenceForLa())
    # waits 3, 7, 10, 20, 30: median 10; p90 = ceil(0.9 * 5) = 5th = 30
    assert figures(get(values, "referral_to_placement_median_days")) == (10.0, None, 5)
    assert figures(get(values, "referral_to_placement_p90_days")) == (30.0, None, 5)
    assert sorted(get(values, "referral_to_placement_median_days").samples) == [3, 7, 10, 20, 30]


def test_quantiles():
    assert quantile([10, 3, 20, 7], 0.5) == 8.5
    assert quantile([10, 3, 20, 7], 0.9) == 20
    assert quantile(list(range(1, 11)), 0.9) == 9
    assert quantile([], 0.5) is None


def test_open_referrals_and_their_mean_age():
    values = compute_all(fold(HISTORY), DAY, ReferenceForLa())
    # R8 (30 days) and R9 (60 days, closed after the date)
    assert figures(get(values, "open_referrals")) == (2, 2, None)
    assert figures(get(values, "open_referral_mean_age_days")) == (45.0, 90, 2)


def test_emergency_placement_ratio_of_new_carer_placements_in_the_year():
    facts = fold(
        [
            admitted("A", "2023-05-01"),
            started("A", "A1", "2023-05-01", reason="S", emergency=True),
            started("A", "A2", "2023-06-01", reason="P"),
            started("A", "A3", "2023-07-01", reason="T", emergency=True),  # same carer: not made
            admitted("B", "2022-05-01"),
            started("B", "B1", "2022-05-01", reason="S", emergency=True),  # before the window
            started("B", "B2", "2023-08-01", reason="B"),
            started("B", "B3", "2023-09-01", reason="P"),
        ]
    )
    values = compute_all(facts, DAY, ReferenceForLa())
    assert figures(get(values, "emergency_placement_ratio")) == (0.25, 1, 4)
