"""Every event type, and parsing raw JSON into the right typed model."""

from typing import Annotated, Any, TypeAlias

from pydantic import Field, TypeAdapter

from shared.events.common import ARRIVING
from shared.events.derived import ForecastPublished, IndicatorsSnapshot
from shared.events.envelope import Envelope
from shared.events.feed import FeedVacancy
from shared.events.journey import JourneyEvent
from shared.events.supply import SupplyEvent

AnyEvent: TypeAlias = (
    JourneyEvent | SupplyEvent | FeedVacancy | IndicatorsSnapshot | ForecastPublished
)

_ADAPTER: TypeAdapter[AnyEvent] = TypeAdapter(Annotated[AnyEvent, Field(discriminator="type")])
_JOURNEY: TypeAdapter[JourneyEvent] = TypeAdapter(
    Annotated[JourneyEvent, Field(discriminator="type")]
)
_SUPPLY: TypeAdapter[SupplyEvent] = TypeAdapter(Annotated[SupplyEvent, Field(discriminator="type")])

EVENT_CLASSES: tuple[type[Envelope], ...] = (
    *(cls for union in (JourneyEvent, SupplyEvent) for cls in union.__args__),
    FeedVacancy,
    IndicatorsSnapshot,
    ForecastPublished,
)

EVENT_TYPES: dict[str, type[Envelope]] = {
    cls.model_fields["type"].default: cls for cls in EVENT_CLASSES
}


def parse_event(raw: bytes | str | dict[str, Any]) -> AnyEvent:
    """Decode and validate one event of any known type (raises ValidationError)."""
    if isinstance(raw, dict):
        return _ADAPTER.validate_python(raw)
    return _ADAPTER.validate_json(raw)


def parse_journey(raw: dict[str, Any]) -> JourneyEvent:
    return _JOURNEY.validate_python(raw)


def parse_supply(raw: dict[str, Any]) -> SupplyEvent:
    return _SUPPLY.validate_python(raw)


def accept_journey(raw: dict[str, Any]) -> JourneyEvent:
    """A journey event arriving: also the rules only new events are held to."""
    return _JOURNEY.validate_python(raw, context=ARRIVING)


def accept_supply(raw: dict[str, Any]) -> SupplyEvent:
    """A supply event arriving: also the rules only new events are held to."""
    return _SUPPLY.validate_python(raw, context=ARRIVING)


def parse_journey_json(body: str | bytes) -> JourneyEvent:
    """A stored journey event's JSON body, validated without a dict in between."""
    return _JOURNEY.validate_json(body)
