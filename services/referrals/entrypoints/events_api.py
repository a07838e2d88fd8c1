"""POST /events: journey events from case-management systems."""

from services.referrals.service_layer.journey_pipeline import journey_pipeline
from shared.auth.keys import Scope
from shared.events.examples import JOURNEY_EXAMPLES
from shared.events.journey import JourneyEvent
from shared.ingest.router import events_router

router = events_router(
    "journey events",
    "Post one journey event or an array of up to 1,000",
    Scope.JOURNEY_WRITE,
    journey_pipeline,
    JourneyEvent,
    JOURNEY_EXAMPLES,
)
