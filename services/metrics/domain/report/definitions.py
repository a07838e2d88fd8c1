"""Each figure's definition, as INDICATORS.md and FORECAST.md state it.

The report links every figure to its entry here (GET /reports/definitions#id)
and the workbook's "definitions" sheet holds the same text.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Definition:
    key: str
    title: str
    text: str


_ALL = (
    Definition(
        "children_in_care",
        "Children in care",
        "Children looked after (CLA) at the date: a period of care started on or before it "
        "and not ended on or before it (as the DfE's 31 March count).",
    ),
    Definition(
        "children_in_care_rate_per_10000",
        "Rate per 10,000",
        "Children in care at the date / population aged 0-17 (ONS mid-year estimate held as "
        "reference data, the year before the collection year) x 10,000.",
    ),
    Definition(
        "starts_12m",
        "Starts, rolling 12 months",
        "Children whose period of care started in the 12 months to the date, each child once.",
    ),
    Definition(
        "ceased_12m",
        "Ceased, rolling 12 months",
        "Children whose period of care ended in the 12 months to the date, each child once.",
    ),
    Definition(
        "placement_mix",
        "Placement mix",
        "Share of children in care at the date in each placement category (fostering U1-U6, "
        "residential K1 K2 R1 S1 P3, supported H5 P2 K3, adoption A3-A6, with parents P1).",
    ),
    Definition(
        "provider_mix",
        "Provider mix",
        "Share of children in care at the date by PLACE_PROVIDER of the current placement: "
        "own LA PR1, other LA PR2, other public PR3, private PR4, voluntary PR5, parents PR0.",
    ),
    Definition(
        "within_20_miles",
        "Within 20 miles",
        "Share of children in care at the date placed 20 miles or less from home (straight "
        "line between grid points, to 0.1 mile); 'not known' stays in the denominator.",
    ),
    Definition(
        "distance_not_known",
        "Distance not known",
        "Share of children in care at the date whose home or placement location is not known "
        "(UASC included).",
    ),
    Definition(
        "inside_la_boundary",
        "Inside the LA",
        "Share of children in care at the date placed in a home located in the responsible LA.",
    ),
    Definition(
        "three_plus_placements",
        "3+ placements",
        "Share of children in care at the date with 3 or more placements (new carer: reason "
        "S, P or B) in the 12 months to the date; placements open at the window's start count.",
    ),
    Definition(
        "long_term_stability",
        "Long-term stability",
        "Of children in care at the date aged under 16 and in care for 2.5 years or more, the "
        "share living with the same carer for at least 2 years.",
    ),
    Definition(
        "own_home_occupancy",
        "Own homes' occupancy",
        "For the LA's own homes (provider own_la) registered at the date: places occupied by "
        "its children at the end of the date / registered places, by kind of home.",
    ),
    Definition(
        "weekly_cost_mean_gbp",
        "Mean weekly cost",
        "Mean weekly cost of current placements with a cost, by category and side (own: PR1; "
        "external: PR2-PR5).",
    ),
    Definition(
        "weekly_spend_gbp",
        "Weekly spend",
        "Sum of the weekly costs of current placements; annualised = weekly x 52.",
    ),
    Definition(
        "referral_to_placement_median_days",
        "Referral to placement",
        "Median (and 90th percentile) days from referral.received to the placement that "
        "closes the referral, over placements made in the 12 months to the date.",
    ),
    Definition(
        "open_referrals",
        "Open referrals",
        "Referrals received and neither placed nor withdrawn at the date, and their mean age.",
    ),
    Definition(
        "emergency_placement_ratio",
        "Emergency placements",
        "Share of placements made in the 12 months to the date that were emergencies.",
    ),
    Definition(
        "forecast",
        "Forecast and interval",
        "Children in care at 31 March of the coming years from the 31 March history up to the "
        "report's date: the statutory straight line (least squares) with its 95% confidence "
        "interval, as the councils' strategies publish, and the model with the best "
        "rolling-origin backtest with bounds never narrower than its backtest errors.",
    ),
    Definition(
        "published_figures",
        "Published and live figures",
        "Years before the LA's records are complete here are the LA's published 31 March "
        "figures (uploaded to the forecast service); later years are computed live from events.",
    ),
    Definition(
        "sufficiency_gap",
        "Sufficiency gap",
        "Forecast children by placement category (the forecast service's scenario baseline, "
        "or the total forecast split by today's mix, residential capped at the target path) "
        "against own capacity at the date plus own homes registered to open later: places "
        "needed from the market = demand - own places; their yearly cost bought externally "
        "and provided in house = places x weekly unit cost x 52.",
    ),
    Definition(
        "unit_costs",
        "Unit costs",
        "The LA's mean weekly cost by category and side at the date; where it has none, seed "
        "001's published prices (external residential GBP 7,326, own GBP 3,770, IFA GBP 974, "
        "own fostering GBP 634).",
    ),
    Definition(
        "regional_supply",
        "Regional supply",
        "Homes registered at the date in the region's LAs' records, and their registered "
        "places, by provider type and kind of home (supply is not personal: never suppressed).",
    ),
    Definition(
        "small_numbers",
        "Small-number rule",
        "Where the report is shared beyond the LA (a region, or a reader outside the LA), a "
        "count of children from 1 to 5 is shown as 'c' with every figure that would reveal it.",
    ),
)

DEFINITIONS: dict[str, Definition] = {d.key: d for d in _ALL}


def definition_of(key: str) -> Definition:
    return DEFINITIONS.get(key) or Definition(key, key.replace("_", " "), "")
