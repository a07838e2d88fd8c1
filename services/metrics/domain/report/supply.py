"""Sections about places: provider mix and spend, own homes' occupancy, the sufficiency
gap, and the region's supply of homes."""

from services.metrics.domain.report.cells import SUPPRESSED, day, number, pick, value
from services.metrics.domain.report.inputs import ReportInputs
from services.metrics.domain.report.model import Cell, Chart, Column, Line, Section, Table
from shared.codes.categories import PlacementCategory
from shared.events.common import HomeKind

PROVIDERS = {
    "PR1": "Own LA",
    "PR2": "Other LA",
    "PR3": "Other public",
    "PR4": "Private",
    "PR5": "Voluntary",
    "PR0": "Parents",
    "not_known": "Not known",
}
# Seed 001 (Derbyshire, March 2025): the prices used where the LA has no placement to
# price a category from (services/forecast/domain/costs.py holds the same defaults).
SEED_UNIT_COSTS = {
    "residential.external": 7326.0,
    "residential.own": 3770.0,
    "fostering.external": 974.0,
    "fostering.own": 634.0,
}
WEEKS_PER_YEAR = 52
# Which placement category a kind of home provides places in.
CATEGORY_OF_KIND = {
    str(HomeKind.FOSTER_HOUSEHOLD): str(PlacementCategory.FOSTERING),
    str(HomeKind.CHILDRENS_HOME): str(PlacementCategory.RESIDENTIAL),
    str(HomeKind.SECURE_CHILDRENS_HOME): str(PlacementCategory.RESIDENTIAL),
    str(HomeKind.RESIDENTIAL_SCHOOL): str(PlacementCategory.RESIDENTIAL),
    str(HomeKind.SUPPORTED_ACCOMMODATION): str(PlacementCategory.SUPPORTED),
    str(HomeKind.PARENT_AND_CHILD): str(PlacementCategory.FOSTERING),
    str(HomeKind.OTHER): str(PlacementCategory.OTHER),
}


def provider_and_spend(inp: ReportInputs) -> Section:
    mix = Table(
        "provider_mix",
        "Children in care by placement provider",
        (
            Column("provider", "Provider", "text"),
            Column("code", "Code", "text"),
            Column("share", "Share", "ratio"),
        ),
        tuple(
            (label, code, value(inp.current, "provider_mix", code))
            for code, label in PROVIDERS.items()
        ),
        ("provider_mix",),
        inp.as_of,
    )
    rows = []
    for ind in inp.current:
        if ind.name != "weekly_cost_mean_gbp" or ind.breakdown is None:
            continue
        category, side = ind.breakdown.split(".", 1)
        hidden = ind.suppressed
        rows.append(
            (
                f"{category} ({side})",
                category,
                side,
                SUPPRESSED if hidden else ind.value,
                SUPPRESSED if hidden else ind.denominator,
                SUPPRESSED if hidden else ind.numerator,
                None if hidden or ind.numerator is None else ind.numerator * WEEKS_PER_YEAR,
            )
        )
    spend = Table(
        "weekly_spend",
        "Weekly cost and spend by category and side",
        (
            Column("placements_of", "Placements", "text"),
            Column("category", "Category", "text"),
            Column("side", "Side", "text"),
            Column("mean_weekly", "Mean weekly cost", "gbp"),
            Column("placements", "Placements costed"),
            Column("weekly_spend", "Weekly spend", "gbp"),
            Column("annual_spend", "Annualised spend", "gbp"),
        ),
        tuple(rows),
        ("weekly_cost_mean_gbp", "weekly_spend_gbp"),
        inp.as_of,
    )
    total = pick(inp.current, "annualised_spend_gbp")
    summary = (
        f"Annualised spend on current placements GBP {total.value:,.0f}."
        if total and total.value is not None and not total.suppressed
        else "Spend on current placements by category."
    )
    charts = (
        Chart(
            "provider_chart",
            "Provider mix",
            "provider_mix",
            "bar",
            "provider",
            (Line("share"),),
            "ratio",
        ),
        Chart(
            "spend_chart",
            "Mean weekly cost by category and side",
            "weekly_spend",
            "bar",
            "placements_of",
            (Line("mean_weekly"),),
            "gbp",
        ),
    )
    return Section("provider", "Provider mix and weekly spend", summary, (mix, spend), charts)


def occupancy(inp: ReportInputs) -> Section:
    rows = []
    for ind in inp.current:
        if ind.name != "own_home_occupancy":
            continue
        hidden = ind.suppressed
        rows.append(
            (
                ind.breakdown or "all own homes",
                SUPPRESSED if hidden else ind.numerator,
                ind.denominator,
                SUPPRESSED if hidden else ind.value,
                ind.target or 0.8,
                ind.rag or "",
            )
        )
    table = Table(
        "occupancy",
        "Own homes' occupancy against 80%",
        (
            Column("kind", "Kind of home", "text"),
            Column("occupied", "Places occupied"),
            Column("registered", "Registered places"),
            Column("occupancy", "Occupancy", "ratio"),
            Column("target", "Target", "ratio"),
            Column("rag", "RAG", "text"),
        ),
        tuple(rows),
        ("own_home_occupancy",),
        inp.as_of,
        "Target: the LA's own where set (Derby 80% for its children's homes), else 80%.",
    )
    chart = Chart(
        "occupancy_chart",
        "Own homes' occupancy",
        "occupancy",
        "bar",
        "kind",
        (Line("occupancy"), Line("target", dashed=True)),
        "ratio",
    )
    return Section(
        "occupancy", "Own homes' occupancy", "Use of the LA's own places.", (table,), (chart,)
    )


def _price(inp: ReportInputs, key: str) -> float | None:
    return inp.unit_costs.get(key) or SEED_UNIT_COSTS.get(key)


def _own_places(inp: ReportInputs, year: int) -> dict[str, float]:
    """Own capacity at the date plus pipeline homes open by 31 March of `year`."""
    places = dict(inp.own_capacity)
    for home in inp.pipeline:
        if home.opens.year < year or (
            home.opens.year == year and (home.opens.month, home.opens.day) <= (3, 31)
        ):
            places[home.category] = places.get(home.category, 0.0) + home.places
    return places


# Children placed for adoption or living with parents need no place bought or provided.
PLACED_CATEGORIES = ("fostering", "residential", "supported", "other")


def _gap_row(
    inp: ReportInputs, year: int, category: str, demand: float, places: float
) -> tuple[Cell, ...]:
    needed = max(demand - places, 0.0)
    ext, mine = _price(inp, f"{category}.external"), _price(inp, f"{category}.own")
    ext_cost = None if ext is None else needed * ext * WEEKS_PER_YEAR
    own_cost = None if mine is None else needed * mine * WEEKS_PER_YEAR
    return (year, category, round(demand, 1), places, round(needed, 1), ext_cost, own_cost)


def _year_total(year: int, rows: list[tuple[Cell, ...]]) -> tuple[Cell, ...]:
    """Children and places over every category; costs over the categories priced both
    ways, so the external and in-house totals compare like with like."""
    counts = [sum(number(r[i]) or 0.0 for r in rows) for i in (2, 3, 4)]
    priced = [r for r in rows if r[5] is not None and r[6] is not None]
    costs = [sum(number(r[i]) or 0.0 for r in priced) for i in (5, 6)]
    return (str(year), *(round(c, 1) for c in counts), *costs)


def gap(inp: ReportInputs) -> Section:
    rows: list[tuple[Cell, ...]] = []
    by_year: list[tuple[Cell, ...]] = []
    for year, children in inp.demand:
        own = _own_places(inp, year)
        cats = [c for c in PLACED_CATEGORIES if c in children or c in own]
        year_rows = [_gap_row(inp, year, c, children.get(c, 0.0), own.get(c, 0.0)) for c in cats]
        rows += year_rows
        by_year.append(_year_total(year, year_rows))
    detail = Table(
        "gap_by_category",
        "Sufficiency gap by year and placement category",
        (
            Column("year", "31 March", "text"),
            Column("category", "Category", "text"),
            Column("demand", "Forecast children"),
            Column("own_places", "Own places (incl. pipeline)"),
            Column("needed", "Places needed from the market"),
            Column("external_cost", "Cost a year bought externally", "gbp"),
            Column("in_house_cost", "Cost a year provided in house", "gbp"),
        ),
        tuple(rows),
        ("sufficiency_gap", "unit_costs"),
        inp.as_of,
        f"Demand: {inp.demand_source}." if inp.demand_source else "",
    )
    summary_table = Table(
        "gap_by_year",
        "Places needed and their cost by year",
        (
            Column("year", "31 March", "text"),
            Column("demand", "Forecast children"),
            Column("own_places", "Own places"),
            Column("needed", "Places needed"),
            Column("external_cost", "External cost a year", "gbp"),
            Column("in_house_cost", "In-house cost a year", "gbp"),
        ),
        tuple(by_year),
        ("sufficiency_gap", "unit_costs"),
        inp.as_of,
        "Places: fostering, residential, supported and other placements (adoption and "
        "living with parents need none). Costs: the categories priced both externally and "
        "in house.",
    )
    pipeline = Table(
        "pipeline",
        "Own homes registered to open after the date",
        (
            Column("opens", "Opens", "text"),
            Column("category", "Category", "text"),
            Column("places", "Places"),
        ),
        tuple((day(h.opens), h.category, h.places) for h in inp.pipeline),
        ("sufficiency_gap",),
        inp.as_of,
    )
    charts = (
        Chart(
            "gap_chart",
            "Places needed from the market by year",
            "gap_by_year",
            "bar",
            "year",
            (Line("needed"), Line("own_places")),
        ),
        Chart(
            "gap_cost_chart",
            "Cost of the places needed: external vs in house",
            "gap_by_year",
            "bar",
            "year",
            (Line("external_cost"), Line("in_house_cost")),
            "gbp",
        ),
    )
    notices = (
        ()
        if inp.demand
        else ("No forecast by placement category: " + (inp.demand_source or "none held") + ".",)
    )
    last = by_year[-1] if by_year else None
    summary = (
        f"By 31 March {last[0]}: {last[3]:,.0f} places needed beyond own provision; "
        f"GBP {last[4]:,.0f} a year bought externally against GBP {last[5]:,.0f} in house."
        if last and all(isinstance(x, float | int) for x in last[3:6])
        else "Forecast demand against own capacity and the pipeline."
    )
    return Section(
        "gap", "The sufficiency gap", summary, (summary_table, detail, pipeline), charts, notices
    )


def regional_supply(inp: ReportInputs) -> Section:
    rows = [
        (r.provider, r.kind, r.homes, r.places)
        for r in sorted(inp.supply, key=lambda r: (r.provider, r.kind))
    ]
    by_provider: dict[str, list[int]] = {}
    for r in inp.supply:
        t = by_provider.setdefault(r.provider, [0, 0])
        t[0] += r.homes
        t[1] += r.places
    table = Table(
        "regional_supply",
        f"Homes and places in {inp.region or 'the region'} by provider type",
        (
            Column("provider", "Provider type", "text"),
            Column("kind", "Kind of home", "text"),
            Column("homes", "Homes"),
            Column("places", "Registered places"),
        ),
        tuple(rows),
        ("regional_supply",),
        inp.as_of,
    )
    totals = Table(
        "regional_supply_totals",
        f"{inp.region or 'Region'} totals by provider type",
        (
            Column("provider", "Provider type", "text"),
            Column("homes", "Homes"),
            Column("places", "Registered places"),
        ),
        tuple((p, h, n) for p, (h, n) in sorted(by_provider.items())),
        ("regional_supply",),
        inp.as_of,
    )
    chart = Chart(
        "supply_chart",
        "Registered places by provider type",
        "regional_supply_totals",
        "bar",
        "provider",
        (Line("places"), Line("homes")),
    )
    return Section(
        "supply",
        "Regional supply",
        "The region's homes, as its LAs record them.",
        (totals, table),
        (chart,),
    )
