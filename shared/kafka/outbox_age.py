"""The age of the outbox's oldest unpublished row, as a gauge read at scrape time.

The backlog's length says how much waits; its age says for how long, which
is what an LA sees (an accepted event not yet counted anywhere).
"""

from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Gauge
from sqlalchemy import Engine

from shared.db import transaction
from shared.store import outbox


def register_outbox_age(registry: CollectorRegistry, engine: Engine) -> None:
    gauge = Gauge(
        "sufficiency_outbox_oldest_unpublished_age_seconds",
        "Age of the oldest outbox row the broker has not acknowledged, 0 when none waits (seconds)",
        registry=registry,
    )
    gauge.set_function(lambda: _age(engine))


def _age(engine: Engine) -> float:
    with transaction(engine) as session:
        oldest = outbox.oldest_pending_at(session)
    if oldest is None:
        return 0.0
    return max(0.0, (datetime.now(UTC) - oldest).total_seconds())
