"""A child's journey as an LA reads it: periods, placements, legal statuses (pure)."""

from dataclasses import dataclass, field
from datetime import date

from shared.events.journey import (
    ChildAdmitted,
    ChildLeftCare,
    JourneyEvent,
    LegalStatusChanged,
    PlacementEnded,
    PlacementStarted,
)


@dataclass
class PlacementView:
    placement_id: str
    start: date
    placement_type: str
    provider: str
    reason: str
    home_id: str | None
    end: date | None = None
    reason_for_change: str | None = None


@dataclass
class PeriodView:
    start: date
    end: date | None = None
    reason_ceased: str | None = None
    placements: list[PlacementView] = field(default_factory=list)
    legal_statuses: list[tuple[date, str]] = field(default_factory=list)


def periods_of_care(events: list[JourneyEvent]) -> list[PeriodView]:
    """Events in the order they happened -> the child's periods of care."""
    periods: list[PeriodView] = []
    placements: dict[str, PlacementView] = {}
    for event in events:
        current = periods[-1] if periods and periods[-1].end is None else None
        match event:
            case ChildAdmitted():
                periods.append(
                    PeriodView(
                        event.data.date, legal_statuses=[(event.data.date, event.data.legal_status)]
                    )
                )
            case PlacementStarted() if current:
                _close_open(current, event.data.date)
                view = PlacementView(
                    event.data.placement_id,
                    event.data.date,
                    event.data.placement_type,
                    event.data.provider,
                    event.data.reason,
                    event.data.home_id,
                )
                current.placements.append(view)
                placements[view.placement_id] = view
            case PlacementEnded():
                if (ended := placements.get(event.data.placement_id)) is not None:
                    ended.end, ended.reason_for_change = (
                        event.data.date,
                        event.data.reason_for_change,
                    )
            case LegalStatusChanged() if current:
                current.legal_statuses.append((event.data.date, event.data.legal_status))
            case ChildLeftCare() if current:
                _close_open(current, event.data.date)
                current.end, current.reason_ceased = event.data.date, event.data.reason
    return periods


def _close_open(period: PeriodView, day: date) -> None:
    for placement in period.placements:
        if placement.end is None:
            placement.end = day
