"""A report's inputs as the service layer would gather them, built by hand."""

from datetime import date

from services.metrics.domain.indicator import Indicator
from services.metrics.domain.reference import TargetPoint
from services.metrics.domain.report.inputs import (
    Forecast,
    ForecastPoint,
    PipelineHome,
    ReportInputs,
    SupplyRow,
)

AS_OF = date(2024, 3, 31)
PUBLISHED = {2019: 802, 2020: 862, 2021: 897, 2022: 926, 2023: 995, 2024: 1057}
# The forecast service's answer to seed 001's question (tests/contract checks the fit).
SEED_001_2025 = ForecastPoint(date(2025, 3, 31), 1112.36, 1062.54, 1162.17)


def ind(
    name: str,
    value: float | None,
    num: float | None = None,
    den: float | None = None,
    unit: str = "ratio",
    breakdown: str | None = None,
    **kw: object,
) -> Indicator:
    return Indicator(name, value, num, den, unit, breakdown, **kw)  # type: ignore[arg-type]


def current(cic: int = 1057, residential: float = 0.16) -> list[Indicator]:
    return [
        ind("children_in_care", cic, cic, None, "count"),
        ind("children_in_care_rate_per_10000", cic * 10000 / 155400, cic, 155400, "per_10000"),
        ind("starts_12m", 485, 485, None, "count"),
        ind("ceased_12m", 3, 3, None, "count", suppressed=False),
        ind("placement_mix", 0.62, 659, cic, breakdown="fostering"),
        ind(
            "placement_mix",
            residential,
            166,
            cic,
            breakdown="residential",
            target=0.16,
            rag="green",
        ),
        ind("placement_mix", 0.22, 232, cic, breakdown="other"),
        ind("provider_mix", 0.40, 423, cic, breakdown="PR1"),
        ind("provider_mix", 0.41, 433, cic, breakdown="PR4"),
        ind("within_20_miles", 0.61, 645, cic, target=0.75, rag="red"),
        ind("inside_la_boundary", 0.52, 550, cic),
        ind("distance_not_known", 0.09, 95, cic),
        ind("three_plus_placements", 0.09, 95, cic),
        ind("long_term_stability", 0.57, 200, 351),
        ind("own_home_occupancy", 0.8, 40, 50),
        ind(
            "own_home_occupancy", 0.75, 12, 16, breakdown="childrens_home", target=0.8, rag="amber"
        ),
        ind("weekly_cost_mean_gbp", 7326.0, 7326.0 * 143, 143, "gbp", "residential.external"),
        ind("weekly_cost_mean_gbp", 634.0, 634.0 * 300, 300, "gbp", "fostering.own"),
        ind("weekly_spend_gbp", 1_200_000.0, 1_200_000.0, 900, "gbp"),
        ind("annualised_spend_gbp", 62_400_000.0, 62_400_000.0, 900, "gbp"),
        ind("referral_to_placement_median_days", 12.0, None, 80, "days"),
        ind("referral_to_placement_p90_days", 40.0, None, 80, "days"),
        ind("open_referrals", 14, 14, None, "count"),
        ind("emergency_placement_ratio", 0.2, 16, 80),
    ]


def inputs(**changes: object) -> ReportInputs:
    base = dict(
        scope="E10000007",
        scope_name="Derbyshire",
        is_region=False,
        as_of=AS_OF,
        suppressed=False,
        suppress_below=6,
        current=current(),
        yearly=[(date(2023, 3, 31), current(995, 0.17)), (AS_OF, current())],
        records_from=date(2023, 3, 31),
        history=[(date(y, 3, 31), float(v)) for y, v in PUBLISHED.items()],
        population={date(2024, 3, 31): 155400},
        targets=(
            *(
                TargetPoint("placement_mix", "residential", date(y, 4, 1), v, False)
                for y, v in ((2026, 0.16), (2027, 0.15), (2028, 0.14), (2029, 0.13), (2030, 0.11))
            ),
            TargetPoint("within_20_miles", None, date(2022, 4, 1), 0.75),
        ),
        straight_line=Forecast("linear_confidence", (SEED_001_2025,)),
        best=Forecast("holt", (ForecastPoint(date(2025, 3, 31), 1100.0, 1000.0, 1200.0),)),
        demand=[
            (2025, {"residential": 170.0, "fostering": 700.0}),
            (2026, {"residential": 175.0, "fostering": 720.0}),
        ],
        demand_source="test",
        own_capacity={"residential": 30.0, "fostering": 400.0},
        pipeline=(PipelineHome(date(2025, 1, 1), "residential", 4),),
        unit_costs={"residential.external": 7326.0},
        supply=(
            SupplyRow("own_la", "childrens_home", 8, 30),
            SupplyRow("private", "childrens_home", 40, 160),
        ),
        region="D2N2",
    )
    base.update(changes)
    return ReportInputs(**base)  # type: ignore[arg-type]
