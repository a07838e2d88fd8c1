"""Every indicator's stable id, unit, kind and which of its figures count people.

`aggregate_region` reads `kind` and `scale` to recompute a region's value from
summed numerators and denominators; `suppress` reads `numerator_counts` /
`denominator_counts` to know which figures are counts of children,
placements or referrals (vacancies and places on offer are not personal and
are never suppressed).
"""

from dataclasses import dataclass

from services.metrics.domain.indicator import Kind, Unit


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    unit: Unit
    kind: Kind
    scale: float = 1.0
    quantile: float | None = None
    numerator_counts: bool = False
    denominator_counts: bool = False


def _share(name: str, personal: bool = True) -> Spec:
    return Spec(name, "ratio", Kind.RATIO, numerator_counts=personal, denominator_counts=personal)


SPECS: dict[str, Spec] = {
    s.name: s
    for s in (
        Spec("children_in_care", "count", Kind.COUNT, numerator_counts=True),
        Spec(
            "children_in_care_rate_per_10000",
            "per_10000",
            Kind.RATIO,
            scale=10_000,
            numerator_counts=True,
        ),
        Spec("starts_12m", "count", Kind.COUNT, numerator_counts=True),
        Spec("ceased_12m", "count", Kind.COUNT, numerator_counts=True),
        _share("placement_mix"),
        _share("provider_mix"),
        _share("within_20_miles"),
        _share("distance_not_known"),
        _share("inside_la_boundary"),
        _share("three_plus_placements"),
        _share("long_term_stability"),
        _share("own_home_occupancy"),
        Spec("open_vacancies", "count", Kind.COUNT),
        Spec("open_vacancies_by_provider", "count", Kind.COUNT),
        Spec("open_vacancies_by_location_la", "count", Kind.COUNT),
        Spec("vacancy_mean_days_open", "days", Kind.RATIO),
        _share("vacancy_shared_ratio", personal=False),
        Spec(
            "referral_to_placement_median_days",
            "days",
            Kind.QUANTILE,
            quantile=0.5,
            denominator_counts=True,
        ),
        Spec(
            "referral_to_placement_p90_days",
            "days",
            Kind.QUANTILE,
            quantile=0.9,
            denominator_counts=True,
        ),
        Spec("open_referrals", "count", Kind.COUNT, numerator_counts=True),
        Spec("open_referral_mean_age_days", "days", Kind.RATIO, denominator_counts=True),
        _share("emergency_placement_ratio"),
        _share("uasc_share"),
        Spec("weekly_cost_mean_gbp", "gbp", Kind.RATIO, denominator_counts=True),
        Spec("weekly_spend_gbp", "gbp", Kind.TOTAL, denominator_counts=True),
        Spec("annualised_spend_gbp", "gbp", Kind.TOTAL, denominator_counts=True),
        _share("framework_use"),
    )
}


def spec_of(name: str) -> Spec:
    """The spec of an indicator; an unknown name is treated as a count."""
    return SPECS.get(name) or Spec(name, "count", Kind.COUNT)
