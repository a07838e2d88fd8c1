"""A region sums numerators and denominators; it never averages percentages."""

from services.metrics.domain.indicator import Indicator, count
from services.metrics.domain.indicators import aggregate_region, compute_all
from services.metrics.domain.quantiles import quantile_indicator
from services.metrics.domain.reference import ReferenceForLa
from tests.unit.metrics.builders import (
    DERBY,
    DERBYSHIRE,
    FAR,
    NEAR,
    admitted,
    d,
    figures,
    fold,
    get,
    started,
)

DAY = d("2024-03-31")


def _la(la: str, near: int, far: int):
    events = []
    for i in range(near + far):
        events += [
            admitted(f"C{i}", "2023-01-01", la=la),
            started(
                f"C{i}",
                f"P{i}",
                "2023-01-01",
                reason="S",
                location=NEAR if i < near else FAR,
                la=la,
            ),
        ]
    return fold(events, la=la)


def _region():
    derby = compute_all(_la(DERBY, near=2, far=0), DAY, ReferenceForLa({2023: 10_000}))
    shire = compute_all(_la(DERBYSHIRE, near=1, far=3), DAY, ReferenceForLa({2023: 40_000}))
    return derby, shire, aggregate_region([derby, shire])


def test_shares_are_summed_not_averaged():
    derby, shire, region = _region()
    assert get(derby, "within_20_miles").value == 1.0
    assert get(shire, "within_20_miles").value == 0.25
    # averaging would say 0.625; the region has 3 of 6 children within 20 miles
    assert figures(get(region, "within_20_miles")) == (0.5, 3, 6)


def test_rate_per_10000_from_summed_populations():
    derby, shire, region = _region()
    assert (
        get(derby, "children_in_care_rate_per_10000").value,
        get(shire, "children_in_care_rate_per_10000").value,
    ) == (2.0, 1.0)
    # averaging would say 1.5; 6 children in 50,000 is 1.2
    assert figures(get(region, "children_in_care_rate_per_10000")) == (1.2, 6, 50_000)
    assert figures(get(region, "children_in_care")) == (6, 6, None)


def test_a_rate_is_not_computed_when_an_la_has_no_population():
    derby = compute_all(_la(DERBY, 2, 0), DAY, ReferenceForLa({2023: 10_000}))
    shire = compute_all(_la(DERBYSHIRE, 1, 3), DAY, ReferenceForLa())
    region = aggregate_region([derby, shire])
    assert figures(get(region, "children_in_care_rate_per_10000")) == (None, 6, None)


def test_medians_are_recomputed_from_pooled_samples():
    a = quantile_indicator("referral_to_placement_median_days", [1, 2, 3], 0.5)
    b = quantile_indicator("referral_to_placement_median_days", [10, 20], 0.5)
    c = quantile_indicator("referral_to_placement_p90_days", [1, 2, 3], 0.9)
    e = quantile_indicator("referral_to_placement_p90_days", [10, 20], 0.9)
    region = aggregate_region([[a, c], [b, e]])
    # the average of the medians would be 8.5
    assert figures(get(region, "referral_to_placement_median_days")) == (3.0, None, 5)
    assert figures(get(region, "referral_to_placement_p90_days")) == (20.0, None, 5)


def test_means_totals_and_breakdowns_missing_in_one_la():
    one = [
        Indicator("weekly_cost_mean_gbp", 1000.0, 1000.0, 1, "gbp", "residential.own"),
        Indicator("weekly_spend_gbp", 1000.0, 1000.0, 1, "gbp"),
        count("open_vacancies", 2, "childrens_home"),
    ]
    two = [
        Indicator("weekly_cost_mean_gbp", 2500.0, 5000.0, 2, "gbp", "residential.own"),
        Indicator("weekly_spend_gbp", 5000.0, 5000.0, 2, "gbp"),
        count("open_vacancies", 1, "foster_household"),
    ]
    region = aggregate_region([one, two])
    assert figures(get(region, "weekly_cost_mean_gbp", "residential.own")) == (2000.0, 6000.0, 3)
    assert figures(get(region, "weekly_spend_gbp")) == (6000.0, 6000.0, 3)
    assert figures(get(region, "open_vacancies", "childrens_home")) == (2, 2, None)
    assert figures(get(region, "open_vacancies", "foster_household")) == (1, 1, None)


def test_a_region_has_no_targets():
    with_target = Indicator("within_20_miles", 0.8, 8, 10, "ratio", target=0.75, rag="green")
    region = aggregate_region([[with_target]])
    assert (region[0].target, region[0].rag, region[0].value) == (None, None, 0.8)
