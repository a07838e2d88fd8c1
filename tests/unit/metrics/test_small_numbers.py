"""Small numbers (1-5 by default) hidden on public and regional views."""

from services.metrics.domain.indicator import Indicator, count, ratio
from services.metrics.domain.quantiles import quantile_indicator
from services.metrics.domain.small_numbers import suppress


def test_small_counts_of_children_are_suppressed_zero_and_six_are_not():
    out = suppress(
        [count("children_in_care", 3), count("children_in_care", 0), count("children_in_care", 6)]
    )
    assert [(v.value, v.numerator, v.suppressed) for v in out] == [
        (None, None, True),
        (0, 0, False),
        (6, 6, False),
    ]


def test_a_share_with_a_small_numerator_keeps_its_large_denominator():
    [v] = suppress([ratio("within_20_miles", 3, 100)])
    assert (v.value, v.numerator, v.denominator, v.suppressed) == (None, None, 100, True)


def test_a_mean_over_few_placements_is_suppressed():
    [v] = suppress(
        [Indicator("weekly_cost_mean_gbp", 5000.0, 10000.0, 2, "gbp", "residential.own")]
    )
    assert (v.value, v.numerator, v.denominator, v.suppressed) == (None, None, None, True)


def test_a_quantile_over_few_referrals_loses_its_samples():
    [v] = suppress([quantile_indicator("referral_to_placement_median_days", [1, 2, 3], 0.5)])
    assert (v.value, v.denominator, v.samples, v.suppressed) == (None, None, (), True)


def test_supply_counts_are_not_personal():
    [v] = suppress([count("open_vacancies", 2, "childrens_home")])
    assert (v.value, v.suppressed) == (2, False)


def test_the_threshold_is_configurable():
    out = suppress([count("children_in_care", 3), count("children_in_care", 2)], below=3)
    assert [v.suppressed for v in out] == [False, True]
