"""What the wall display shows: headline figures per LA and for the region.

The wall is public (a kiosk in the placements team's office), so it carries
aggregates only, with small counts suppressed.
"""

from dataclasses import asdict, dataclass
from datetime import date

from services.metrics.domain.indicators import Indicator
from services.metrics.domain.series import points_between
from services.metrics.domain.small_numbers import suppress
from services.metrics.service_layer.queries import pick
from services.metrics.service_layer.state import MetricsState

HEADLINES = (
    ("children_in_care", None, "Children in care"),
    ("children_in_care_rate_per_10000", None, "Rate per 10,000"),
    ("within_20_miles", None, "Within 20 miles"),
    ("three_plus_placements", None, "3+ placements (12 months)"),
    ("placement_mix", "residential", "Residential mix"),
    ("own_home_occupancy", "childrens_home", "Own children's homes occupancy"),
    ("open_vacancies", None, "Open vacancies"),
    ("annualised_spend_gbp", None, "Annualised spend"),
)


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    value: float | None
    unit: str
    target: float | None
    rag: str | None
    suppressed: bool
    trend: list[float | None]


@dataclass(frozen=True)
class Panel:
    scope: str
    name: str
    tiles: list[Tile]


def _tiles(current: list[Indicator], history: list[list[Indicator]]) -> list[Tile]:
    tiles = []
    for name, breakdown, label in HEADLINES:
        ind = pick(current, name, breakdown)
        trend = [(p.value if (p := pick(h, name, breakdown)) else None) for h in history]
        tiles.append(
            Tile(
                f"{name}.{breakdown}" if breakdown else name,
                label,
                ind.value if ind else None,
                ind.unit if ind else "",
                ind.target if ind else None,
                ind.rag if ind else None,
                bool(getattr(ind, "suppressed", False)),
                trend,
            )
        )
    return tiles


def wall_payload(state: MetricsState, region: str, as_of: date) -> dict[str, object]:
    members = state.regions().get(region, [])
    names = state.la_names()
    months = points_between(date(as_of.year - 1, as_of.month, 1), as_of, "month")
    below = state.settings.suppress_below
    panels = [
        Panel(
            region,
            region,
            _tiles(
                suppress(state.live.region(members, as_of), below),
                [suppress(state.live.region(members, d), below) for d in months],
            ),
        )
    ]
    for la in members:
        panels.append(
            Panel(
                la,
                names.get(la, la),
                _tiles(
                    suppress(state.live.indicators(la, as_of), below),
                    [suppress(state.live.indicators(la, d), below) for d in months],
                ),
            )
        )
    return {
        "region": region,
        "as_of": as_of.isoformat(),
        "version": sum(state.live.version(la) for la in members),
        "panels": [asdict(p) for p in panels],
    }
