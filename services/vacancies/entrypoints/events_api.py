"""POST /events: supply events from provider and commissioning teams."""

from services.vacancies.service_layer.supply_pipeline import supply_pipeline
from shared.auth.keys import Scope
from shared.events.examples import SUPPLY_EXAMPLES
from shared.events.supply import SupplyEvent
from shared.ingest.router import events_router

router = events_router(
    "supply events",
    "Post one supply event (homes, vacancies) or an array of up to 1,000",
    Scope.SUPPLY_WRITE,
    supply_pipeline,
    SupplyEvent,
    SUPPLY_EXAMPLES,
)
