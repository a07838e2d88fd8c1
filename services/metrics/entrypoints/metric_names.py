"""How each indicator is named, labelled and described on /metrics.

Names follow API.md and ENGINEERING.md: prefix `sufficiency_`, base units
(durations in seconds, so `_days` indicators are exported in seconds),
ratios 0-1 end `_ratio`, money `_gbp`. A region's aggregate has its own name,
`sufficiency_region_<name>`, so `sum()` over an LA metric never adds a
region's figure to its members'.
"""

from dataclasses import dataclass

from services.metrics.domain.indicator import Indicator

SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class MetricName:
    name: str  # without the `sufficiency_` / `sufficiency_region_` prefix
    help: str  # what it is and its unit
    labels: tuple[str, ...] = ()  # the breakdown labels; a total gets "total" in each
    scale: float = 1.0  # value on /metrics = indicator value x scale


def _m(name: str, help: str, *labels: str, scale: float = 1.0) -> MetricName:
    return MetricName(name, help, labels, scale)


METRICS: dict[str, MetricName] = {
    "children_in_care": _m("children_in_care", "Children looked after today (count of children)"),
    "children_in_care_rate_per_10000": _m(
        "children_in_care_rate_per_10000",
        "Children looked after per 10,000 children aged 0-17 (rate per 10,000)",
    ),
    "starts_12m": _m("starts_12m", "Periods of care started in the last 12 months (count)"),
    "ceased_12m": _m("ceased_12m", "Periods of care ended in the last 12 months (count)"),
    "placement_mix": _m(
        "placement_mix_ratio",
        "Share of children in care in each placement category (ratio 0-1)",
        "category",
    ),
    "provider_mix": _m(
        "provider_mix_ratio",
        "Share of children in care placed with each kind of provider (ratio 0-1)",
        "provider",
    ),
    "within_20_miles": _m(
        "within_20_miles_ratio",
        "Share of children in care placed within 20 miles of home (ratio 0-1)",
    ),
    "distance_not_known": _m(
        "distance_not_known_ratio",
        "Share of children in care whose placement distance is not known (ratio 0-1)",
    ),
    "inside_la_boundary": _m(
        "inside_la_boundary_ratio",
        "Share of children in care placed inside the LA's boundary (ratio 0-1)",
    ),
    "three_plus_placements": _m(
        "three_plus_placements_ratio",
        "Share of children in care with 3 or more placements in the last 12 months (ratio 0-1)",
    ),
    "long_term_stability": _m(
        "long_term_stability_ratio",
        "Of children in care aged under 16 and in care 2.5 years or more, the share living "
        "with the same carer for 2 years or more (ratio 0-1)",
    ),
    "own_home_occupancy": _m(
        "own_home_occupancy_ratio",
        "Occupied places / registered places in the LA's own homes, by home kind "
        "(ratio 0-1; kind=total: all kinds)",
        "kind",
    ),
    "open_vacancies": _m(
        "open_vacancies", "Places left in open vacancies, by home kind (count of places)", "kind"
    ),
    "open_vacancies_by_provider": _m(
        "open_vacancies_by_provider",
        "Places left in open vacancies, by kind of provider (count of places)",
        "provider",
    ),
    "open_vacancies_by_location_la": _m(
        "open_vacancies_by_location_la",
        "Places left in open vacancies, by the LA the home is in (count of places)",
        "location_la",
    ),
    "vacancy_mean_days_open": _m(
        "vacancy_mean_open_seconds",
        "Mean time the open vacancies have been open (seconds)",
        scale=SECONDS_PER_DAY,
    ),
    "vacancy_shared_ratio": _m(
        "vacancy_shared_ratio",
        "Share of open vacancies offered on the regional feed (ratio 0-1)",
    ),
    "referral_to_placement_median_days": _m(
        "referral_to_placement_median_seconds",
        "Median time from referral to placement, referrals placed in the last 12 months "
        "(seconds; whole days)",
        scale=SECONDS_PER_DAY,
    ),
    "referral_to_placement_p90_days": _m(
        "referral_to_placement_p90_seconds",
        "90th percentile of time from referral to placement, referrals placed in the last "
        "12 months (seconds; whole days)",
        scale=SECONDS_PER_DAY,
    ),
    "open_referrals": _m("open_referrals", "Referrals not yet placed or closed (count)"),
    "open_referral_mean_age_days": _m(
        "open_referral_mean_age_seconds",
        "Mean time the open referrals have been waiting (seconds)",
        scale=SECONDS_PER_DAY,
    ),
    "emergency_placement_ratio": _m(
        "emergency_placement_ratio",
        "Share of placements in the last 12 months made as emergencies (ratio 0-1)",
    ),
    "uasc_share": _m(
        "uasc_share_ratio",
        "Share of children in care who are unaccompanied asylum-seeking children (ratio 0-1)",
    ),
    "weekly_cost_mean_gbp": _m(
        "weekly_cost_mean_gbp",
        "Mean weekly cost of the current placements that have a cost, by category and side "
        "(own, external, parents) (GBP per week)",
        "category",
        "side",
    ),
    "weekly_spend_gbp": _m(
        "weekly_spend_gbp", "Weekly cost of all current placements that have a cost (GBP per week)"
    ),
    "annualised_spend_gbp": _m(
        "annualised_spend_gbp", "Weekly spend on current placements x 52 (GBP per year)"
    ),
    "framework_use": _m(
        "framework_use_ratio",
        "Of external placements made in the last 12 months, the share made through a "
        "framework, by category (ratio 0-1)",
        "category",
    ),
}


def metric_of(ind: Indicator) -> MetricName:
    """An indicator missing from the table is exported under its own name."""
    return METRICS.get(ind.name) or MetricName(ind.name, f"Indicator {ind.name} ({ind.unit})")


def breakdown_values(ind: Indicator, labels: int) -> list[str]:
    if labels == 0:
        return []
    parts = ind.breakdown.split(".") if ind.breakdown else ["total"] * labels
    return (parts + ["total"] * labels)[:labels]
