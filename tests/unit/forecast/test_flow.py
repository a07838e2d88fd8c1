"""Stock-and-flow Markov projection against a 2-state chain worked by hand."""

import math
from datetime import date

import pytest

from services.forecast.domain.flow import FlowHistory, estimate_flow, project_flow, propagate


# One year of history: 100 children start in A, 50 in B.
# From A: 70 stay, 20 move to B, 10 leave care; from B: 5 to A, 40 stay, 5 leave.
# 10 children enter care, all into A.
def flat(matrix):
    return [v for row in matrix for v in row]


HISTORY = FlowHistory(
    states=("A", "B"),
    ends=(date(2025, 3, 31),),
    moves=(((70, 20), (5, 40)),),
    exits=((10, 5),),
    entrants=((10, 0),),
)


def test_estimate_is_row_shares_with_exit_column():
    est = estimate_flow(HISTORY)
    assert flat(est.transition) == pytest.approx([0.7, 0.2, 0.1, 0.1, 0.8, 0.1])
    assert est.entrants == (10.0, 0.0)


def test_population_at_the_ends_of_periods():
    assert list(HISTORY.start_population(0)) == [100, 50]
    assert list(HISTORY.end_population(0)) == [85, 60]  # 70+5+10, 20+40


def test_mean_and_variance_after_one_and_two_steps_by_hand():
    est = estimate_flow(HISTORY)
    one, two = propagate(est, [100, 50], 2)
    # Step 1 mean: A = .7*100 + .1*50 + 10 = 85; B = .2*100 + .8*50 = 60.
    assert one.mean == pytest.approx((85.0, 60.0))
    # Step 1 covariance (start known): multinomial from A (100): var A 100*.7*.3 = 21,
    # var B 100*.2*.8 = 16, cov -100*.7*.2 = -14; from B (50): 4.5, 8, -4;
    # Poisson entrants add 10 to var A.
    assert flat(one.cov) == pytest.approx([35.5, -18.0, -18.0, 24.0])
    # Step 2 mean: A = .7*85 + .1*60 + 10 = 75.5; B = .2*85 + .8*60 = 65.
    assert two.mean == pytest.approx((75.5, 65.0))
    # Step 2: Q' S1 Q = ((15.115, -3.55), (-3.55, 11.02)); multinomial from 85 in A:
    # 17.85, 13.6, -11.9; from 60 in B: 5.4, 9.6, -4.8; entrants +10 on A.
    assert flat(two.cov) == pytest.approx([48.365, -20.25, -20.25, 34.22])
    # Total variance = var A + var B + 2 cov: 35.5 + 24 - 36 = 23.5, then 42.085.
    assert one.group([0, 1]) == pytest.approx((145.0, 23.5))
    assert two.group([0, 1]) == pytest.approx((140.5, 42.085))


def test_project_flow_points_and_bounds():
    proj = project_flow(HISTORY, 2, initial=[100, 50])
    z = 1.959963984540054
    total = proj.total
    assert [p.period for p in total] == [date(2026, 3, 31), date(2027, 3, 31)]
    assert total[0].mid == pytest.approx(145.0)
    assert total[0].upper - total[0].mid == pytest.approx(z * math.sqrt(23.5))
    assert total[1].mid - total[1].lower == pytest.approx(z * math.sqrt(42.085))
    a = proj.by_category["A"]
    assert a[1].mid == pytest.approx(75.5)
    assert a[1].upper - a[1].mid == pytest.approx(z * math.sqrt(48.365))


def test_age_bands_add_up_into_categories_with_their_covariance():
    banded = FlowHistory(
        states=("fostering|0-9", "fostering|10+"),
        ends=(date(2025, 3, 31),),
        moves=(((70, 20), (5, 40)),),
        exits=((10, 5),),
        entrants=((10, 0),),
    )
    proj = project_flow(banded, 1, initial=[100, 50], category_of=lambda s: s.split("|")[0])
    (p,) = proj.by_category["fostering"]
    assert set(proj.by_category) == {"fostering"}
    assert p.mid == pytest.approx(145.0)
    assert p.upper - p.mid == pytest.approx(1.959963984540054 * math.sqrt(23.5))


def test_projection_starts_from_the_end_of_the_history_by_default():
    (p,) = project_flow(HISTORY, 1).total
    # from (85, 60): A = .7*85 + .1*60 + 10 = 75.5, B = .2*85 + .8*60 = 65
    assert p.mid == pytest.approx(140.5)
    assert p.period == date(2026, 3, 31)


def test_entrant_scale_reduces_entries():
    proj = project_flow(HISTORY, 1, initial=[100, 50], entrant_scale=0.5)
    assert proj.by_category["A"][0].mid == pytest.approx(80.0)  # 70 + 5 + 5


def test_pooling_periods_and_a_state_nobody_started_in():
    history = FlowHistory(
        states=("A", "B"),
        ends=(date(2024, 3, 31), date(2025, 3, 31)),
        moves=(((8, 0), (0, 0)), ((2, 0), (0, 0))),
        exits=((2, 0), (8, 0)),
        entrants=((1, 0), (3, 0)),
    )
    est = estimate_flow(history)
    assert flat(est.transition) == pytest.approx([0.5, 0.0, 0.5, 0.0, 1.0, 0.0])
    assert est.entrants == pytest.approx((2.0, 0.0))


def test_history_must_be_consecutive_and_well_shaped():
    with pytest.raises(ValueError):
        FlowHistory(
            ("A",),
            (date(2023, 3, 31), date(2025, 3, 31)),
            (((1,),), ((1,),)),
            ((0,), (0,)),
            ((0,), (0,)),
        )
    with pytest.raises(ValueError):
        FlowHistory(("A", "B"), (date(2025, 3, 31),), (((1,),),), ((0, 0),), ((0, 0),))
