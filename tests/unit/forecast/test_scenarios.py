"""Each scenario changes what it should and nothing else."""

import math
from datetime import date

import pytest

from services.forecast.domain.costs import DEFAULT_UNIT_COSTS, UnitCosts
from services.forecast.domain.flow import FlowEstimate
from services.forecast.domain.forecast import ForecastPoint
from services.forecast.domain.scenarios import (
    SEED_001_MIX_TARGETS,
    YearState,
    baseline,
    close_home,
    compare,
    open_home,
    outcome,
    reduce_entries,
    residential_mix_target,
    step_down_residential,
)

CHILDREN = {"residential": 100.0, "fostering": 300.0, "supported": 50.0}
CAPACITY = {"residential": 40.0, "fostering": 200.0}
BASE = tuple(YearState(y, CHILDREN, CAPACITY) for y in (2025, 2026, 2027))


def unchanged(a, b):
    return a.year == b.year and a.children == b.children and a.own_capacity == b.own_capacity


def test_outcome_splits_own_first_and_prices_by_side():
    o = outcome(BASE[0])
    assert o.beds_needed == {
        "fostering.own": 200.0,
        "fostering.external": 100.0,
        "residential.own": 40.0,
        "residential.external": 60.0,
        "supported.own": 0.0,
        "supported.external": 50.0,
    }
    # 40 x 3770 + 60 x 7326 + 200 x 634 + 100 x 974
    assert o.weekly_cost == 150_800 + 439_560 + 126_800 + 97_400 == 814_560
    assert o.annual_cost == 814_560 * 52
    assert o.uncosted == {"supported.external": 50.0}
    assert o.own_spare == {"fostering": 0.0, "residential": 0.0, "supported": 0.0}


def test_default_costs_are_seed_001s():
    assert DEFAULT_UNIT_COSTS.weekly == {
        "residential.external": 7326.0,
        "residential.own": 3770.0,
        "fostering.external": 974.0,
        "fostering.own": 634.0,
    }
    # "143 children ... approximately GBP 54.5 million" a year
    assert round(143 * DEFAULT_UNIT_COSTS.weekly["residential.external"] * 52) == 54_476_136


def test_step_down_moves_cumulatively_from_the_start_year():
    plan = step_down_residential(BASE, 5, 2026)
    assert unchanged(plan[0], BASE[0])
    assert plan[1].children == {"residential": 95.0, "fostering": 305.0, "supported": 50.0}
    assert plan[2].children == {"residential": 90.0, "fostering": 310.0, "supported": 50.0}
    assert all(p.own_capacity == CAPACITY for p in plan)
    diff = compare(BASE, plan)[1].difference
    # 5 fewer external residential (own beds still full), 5 more IFA (own fostering full)
    assert diff.weekly_cost == pytest.approx(-5 * 7326 + 5 * 974) == -31_760
    assert diff.annual_cost == pytest.approx(-31_760 * 52)
    assert diff.children == {"fostering": 5.0, "residential": -5.0, "supported": 0.0}
    assert compare(BASE, plan)[0].difference.weekly_cost == 0


def test_step_down_cannot_move_more_than_there_are():
    plan = step_down_residential(BASE, 60, 2026)
    assert plan[2].children["residential"] == 0.0
    assert plan[2].children["fostering"] == 400.0


def test_open_home_changes_capacity_split_and_cost_not_children():
    plan = open_home(BASE, 4, 2026)
    assert unchanged(plan[0], BASE[0])
    assert [p.children for p in plan] == [p.children for p in BASE]
    assert plan[1].own_capacity == {"residential": 44.0, "fostering": 200.0}
    d = compare(BASE, plan)[1].difference
    assert d.beds_needed["residential.own"] == 4.0
    assert d.beds_needed["residential.external"] == -4.0
    assert d.beds_needed["fostering.external"] == 0.0
    assert d.weekly_cost == 4 * (3770 - 7326) == -14_224


def test_a_home_with_more_beds_than_children_leaves_spare_beds():
    plan = open_home(BASE, 70, 2027)
    o = outcome(plan[2])
    assert o.beds_needed["residential.own"] == 100.0
    assert o.beds_needed["residential.external"] == 0.0
    assert o.own_spare["residential"] == 10.0


def test_close_home_removes_capacity_but_not_below_zero():
    plan = close_home(BASE, 50, 2027)
    assert plan[1].own_capacity == CAPACITY
    assert plan[2].own_capacity == {"residential": 0.0, "fostering": 200.0}
    d = compare(BASE, plan)[2].difference
    assert d.weekly_cost == 40 * (7326 - 3770)


def test_mix_target_caps_residential_share_and_moves_the_excess_to_fostering():
    plan = residential_mix_target(BASE, {2026: 0.2})
    assert unchanged(plan[0], BASE[0])
    for p in plan[1:]:
        # 20% of 450 = 90
        assert p.children == {"residential": 90.0, "fostering": 310.0, "supported": 50.0}
        assert p.own_capacity == CAPACITY
    assert residential_mix_target(BASE, {2026: 0.5}) == BASE  # already under the cap


def test_seed_001_mix_target_maximum_residential():
    """Seed 001: 16% of the revised 2026 forecast 984 / 1008 / 1028 -> at most 157 / 161 / 164."""
    assert SEED_001_MIX_TARGETS[2026] == 0.16
    maxima = []
    for total in (984, 1008, 1028):
        state = YearState(2026, {"residential": 200.0, "fostering": total - 200.0})
        (capped,) = residential_mix_target([state])
        maxima.append(math.floor(capped.children["residential"]))
        assert capped.total == pytest.approx(total)
    assert maxima == [157, 161, 164]


def test_reduce_entries_follows_the_transition_matrix():
    flow = FlowEstimate(
        ("fostering", "residential"),
        ((0.8, 0.1, 0.1), (0.2, 0.7, 0.1)),
        (50.0, 10.0),
    )
    plan = reduce_entries(BASE, 10, flow, 2026)
    assert unchanged(plan[0], BASE[0])
    # 2026: 10% of entrants missing: (5, 1).
    assert plan[1].children == pytest.approx(
        {"residential": 99.0, "fostering": 295.0, "supported": 50.0}
    )
    # 2027: Q'(5, 1) + (5, 1) = (.8*5 + .2*1, .1*5 + .7*1) + (5, 1) = (9.2, 2.2).
    assert plan[2].children == pytest.approx(
        {"residential": 97.8, "fostering": 290.8, "supported": 50.0}
    )
    assert all(p.own_capacity == CAPACITY for p in plan)


def test_scenarios_compose_and_baseline_builds_from_forecasts():
    points = {
        "residential": [ForecastPoint(date(2026 + i, 3, 31), 100.0, 90.0, 110.0) for i in range(2)],
        "fostering": [ForecastPoint(date(2026 + i, 3, 31), 300.0, 280.0, 320.0) for i in range(2)],
    }
    base = baseline(points, CAPACITY)
    assert [s.year for s in base] == [2026, 2027]
    plan = open_home(step_down_residential(base, 10, 2027), 4, 2027)
    assert plan[1].children == {"residential": 90.0, "fostering": 310.0}
    assert plan[1].own_capacity["residential"] == 44.0


def test_plans_need_consecutive_years():
    with pytest.raises(ValueError):
        open_home([YearState(2025, CHILDREN), YearState(2027, CHILDREN)], 1, 2026)


def test_custom_costs_leave_unpriced_categories_uncosted():
    costs = UnitCosts({"supported.external": 1500.0})
    o = outcome(BASE[0], costs)
    assert o.weekly_cost == 50 * 1500
    assert o.uncosted == {
        "fostering.own": 200.0,
        "fostering.external": 100.0,
        "residential.own": 40.0,
        "residential.external": 60.0,
    }
