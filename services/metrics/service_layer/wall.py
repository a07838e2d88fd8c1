"""What the wall display shows: headline figures for the region and each LA.

The wall is public (a kiosk in the placements team's office), so it carries
aggregates only, with small counts suppressed. Its rows are the headline
indicators plus any indicator that a member LA has a target for, so every
target in the reference data shows red, amber or green somewhere.
"""

import threading
import time
from dataclasses import asdict, dataclass
from datetime import date

from services.metrics.domain.indicators import Indicator
from services.metrics.domain.reference import ReferenceForLa, TargetPoint
from services.metrics.domain.series import points_between
from services.metrics.domain.small_numbers import suppress
from services.metrics.service_layer.queries import pick
from services.metrics.service_layer.state import MetricsState

# (indicator, breakdown, label). A figure Grafana's wall.json also shows keeps
# its panel title there; the two occupancy rows are different figures (one
# kind of home each, as the targets are set) and say so.
HEADLINES: tuple[tuple[str, str | None, str], ...] = (
    ("children_in_care", None, "Children in care"),
    ("children_in_care_rate_per_10000", None, "Rate per 10,000"),
    ("within_20_miles", None, "Within 20 miles"),
    ("inside_la_boundary", None, "Inside the LA"),
    ("three_plus_placements", None, "3+ placements (12 months)"),
    ("placement_mix", "residential", "Residential mix"),
    ("own_home_occupancy", "childrens_home", "Own children's homes occupancy"),
    ("own_home_occupancy", "foster_household", "Own foster homes occupancy"),
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
    trend: list[float | None]  # twelve month ends, then today
    higher_is_better: bool | None = None  # of the target, when there is one


@dataclass(frozen=True)
class Panel:
    scope: str
    name: str
    tiles: list[Tile]


def rows(references: list[ReferenceForLa], day: date) -> list[tuple[str, str | None, str]]:
    """The headlines, then every other indicator a member has a target for on `day`."""
    keys = {(name, breakdown) for name, breakdown, _ in HEADLINES}
    extra = sorted(
        {
            (t.indicator, t.breakdown or None)
            for ref in references
            for t in ref.targets
            if t.valid_from <= day and (t.indicator, t.breakdown or None) not in keys
        },
        key=lambda k: (k[0], k[1] or ""),
    )
    labelled = [(n, b, _label(n, b)) for n, b in extra]
    return [*HEADLINES, *labelled]


def _label(name: str, breakdown: str | None) -> str:
    words = name.replace("_gbp", "").replace("_", " ")
    if breakdown:
        return f"{words.capitalize()} ({breakdown.replace('_', ' ')})"
    return words.capitalize()


def _tile(
    row: tuple[str, str | None, str],
    current: list[Indicator],
    history: list[list[Indicator]],
    target: TargetPoint | None,
) -> Tile:
    name, breakdown, label = row
    ind = pick(current, name, breakdown)
    trend = [(p.value if (p := pick(h, name, breakdown)) else None) for h in history]
    return Tile(
        f"{name}.{breakdown}" if breakdown else name,
        label,
        ind.value if ind else None,
        ind.unit if ind else "",
        ind.target if ind else None,
        ind.rag if ind else None,
        bool(ind and ind.suppressed),
        [*trend, ind.value if ind else None],
        target.higher_is_better if target and ind and ind.target is not None else None,
    )


def _panel(
    scope: str,
    name: str,
    table: list[tuple[str, str | None, str]],
    days: tuple[list[Indicator], list[list[Indicator]]],
    reference: ReferenceForLa | None,
    as_of: date,
) -> Panel:
    current, history = days
    tiles = []
    for row in table:
        target = reference.target_on(row[0], row[1], as_of) if reference else None
        tiles.append(_tile(row, current, history, target))
    return Panel(scope, name, tiles)


def wall_payload(state: MetricsState, region: str, as_of: date) -> dict[str, object]:
    members = state.regions().get(region, [])
    names = state.la_names()
    months = points_between(date(as_of.year - 1, as_of.month, 1), as_of, "month")[-12:]
    below = state.settings.suppress_below
    table = rows([state.reference(la) for la in members], as_of)
    region_days = (
        suppress(state.live.region(members, as_of), below),
        [suppress(state.live.region(members, d), below) for d in months],
    )
    panels = [_panel(region, region, table, region_days, None, as_of)]
    for la in members:
        la_days = (
            suppress(state.live.indicators(la, as_of), below),
            [suppress(state.live.indicators(la, d), below) for d in months],
        )
        panels.append(_panel(la, names.get(la, la), table, la_days, state.reference(la), as_of))
    return {
        "region": region,
        "as_of": as_of.isoformat(),
        "version": _version(state, region),
        "panels": [asdict(p) for p in panels],
    }


class WallCache:
    """The last payload of each region, so a page opens with figures at once.

    Working out a region's payload (13 dates for every member) takes about a
    second at D2N2 scale; a new page is served the last one kept if it is
    recent, and its event stream brings the current one.
    """

    def __init__(self) -> None:
        self._kept: dict[str, tuple[float, dict[str, object]]] = {}
        self._lock = threading.Lock()  # one computation at a time, shared by every page

    def latest(
        self, state: MetricsState, region: str, as_of: date, max_age_seconds: float
    ) -> dict[str, object] | None:
        """The kept payload if it is still exact (no member changed since) or
        younger than `max_age_seconds`; None when it must be worked out."""
        kept = self._kept.get(region)
        if kept is None:
            return None
        exact = kept[1]["version"] == _version(state, region) and kept[1]["as_of"] == str(as_of)
        return kept[1] if exact or time.monotonic() - kept[0] <= max_age_seconds else None

    def current(self, state: MetricsState, region: str, as_of: date) -> dict[str, object]:
        """The payload for the region's present version, computed only if it moved."""
        with self._lock:
            kept = self._kept.get(region)
            version = _version(state, region)
            if kept and kept[1]["version"] == version and kept[1]["as_of"] == as_of.isoformat():
                self._kept[region] = (time.monotonic(), kept[1])
                return kept[1]
            fresh = wall_payload(state, region, as_of)
            self._kept[region] = (time.monotonic(), fresh)
            return fresh


def _version(state: MetricsState, region: str) -> int:
    """Moves whenever any member LA's facts change."""
    return sum(state.live.version(la) for la in state.regions().get(region, []))
