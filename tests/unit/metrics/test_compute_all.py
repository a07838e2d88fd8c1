"""compute_all: every indicator once per breakdown, with its unit."""

from collections import Counter

from services.metrics.domain.catalogue import SPECS
from services.metrics.domain.indicators import compute_all
from services.metrics.domain.reference import ReferenceForLa
from tests.unit.metrics.builders import admitted, d, fold, started

NAMES = {
    "children_in_care",
    "children_in_care_rate_per_10000",
    "starts_12m",
    "ceased_12m",
    "placement_mix",
    "provider_mix",
    "within_20_miles",
    "distance_not_known",
    "inside_la_boundary",
    "three_plus_placements",
    "long_term_stability",
    "own_home_occupancy",
    "open_vacancies",
    "vacancy_mean_days_open",
    "vacancy_shared_ratio",
    "referral_to_placement_median_days",
    "referral_to_placement_p90_days",
    "open_referrals",
    "open_referral_mean_age_days",
    "emergency_placement_ratio",
    "uasc_share",
    "weekly_cost_mean_gbp",
    "weekly_spend_gbp",
    "annualised_spend_gbp",
    "framework_use",
}


def test_every_indicator_is_computed_for_an_empty_la():
    values = compute_all(fold([]), d("2024-03-31"), ReferenceForLa())
    assert {v.name for v in values} >= NAMES
    assert {v.name for v in values} <= set(SPECS)


def test_each_name_and_breakdown_appears_once_with_the_catalogue_unit():
    facts = fold(
        [admitted("A", "2023-01-01"), started("A", "P1", "2023-01-01", reason="S", cost=634.0)]
    )
    values = compute_all(facts, d("2024-03-31"), ReferenceForLa({2023: 60_000}))
    assert [k for k, n in Counter(v.key for v in values).items() if n > 1] == []
    assert [v.name for v in values if v.unit != SPECS[v.name].unit] == []


def test_compute_all_does_not_change_with_repeated_calls():
    facts = fold([admitted("A", "2023-01-01"), started("A", "P1", "2023-01-01", reason="S")])
    first = compute_all(facts, d("2024-03-31"), ReferenceForLa())
    assert compute_all(facts, d("2024-03-31"), ReferenceForLa()) == first
