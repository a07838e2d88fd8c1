"""The event contract: CloudEvents envelope and a typed model per event type."""

from shared.events.derived import ForecastPublished, IndicatorsSnapshot
from shared.events.envelope import Envelope
from shared.events.feed import FeedVacancy
from shared.events.journey import (
    ChildAdmitted,
    ChildDetailsCorrected,
    ChildLeftCare,
    JourneyEvent,
    JourneyEventRetracted,
    LegalStatusChanged,
    PlacementEnded,
    PlacementStarted,
    ReferralClosed,
    ReferralReceived,
)
from shared.events.registry import EVENT_TYPES, AnyEvent, parse_event, parse_journey, parse_supply
from shared.events.supply import (
    HomeDeregistered,
    HomeRegistered,
    HomeUpdated,
    SupplyEvent,
    VacancyExpired,
    VacancyFilled,
    VacancyHeld,
    VacancyOpened,
    VacancyReopened,
    VacancyWithdrawn,
)

__all__ = [
    "EVENT_TYPES",
    "AnyEvent",
    "ChildAdmitted",
    "ChildDetailsCorrected",
    "ChildLeftCare",
    "Envelope",
    "FeedVacancy",
    "ForecastPublished",
    "HomeDeregistered",
    "HomeRegistered",
    "HomeUpdated",
    "IndicatorsSnapshot",
    "JourneyEvent",
    "JourneyEventRetracted",
    "LegalStatusChanged",
    "PlacementEnded",
    "PlacementStarted",
    "ReferralClosed",
    "ReferralReceived",
    "SupplyEvent",
    "VacancyExpired",
    "VacancyFilled",
    "VacancyHeld",
    "VacancyOpened",
    "VacancyReopened",
    "VacancyWithdrawn",
    "parse_event",
    "parse_journey",
    "parse_supply",
]
