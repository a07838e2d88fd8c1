"""Event-to-indicator freshness: how long an event takes to show on /metrics and /wall.

Measured per event from its publication (the Kafka record's timestamp, set
by the producing service's outbox relay within milliseconds of accepting it
while the broker is up) to the end of the background refresh that worked
out its LA's indicators with it folded in: from then on a scrape and the
wall read the new figure.
"""

import time

from prometheus_client import CollectorRegistry, Histogram

# Seconds: the goal is under one; a bulk load or a stalled consumer takes minutes.
BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0)


class Freshness:
    def __init__(self, registry: CollectorRegistry) -> None:
        self._seconds = Histogram(
            "sufficiency_indicator_freshness_seconds",
            "Time from an event's publication to its LA's indicators reflecting it (seconds)",
            buckets=BUCKETS,
            registry=registry,
        )

    def reflected(self, published: list[float]) -> None:
        now = time.time()
        for at in published:
            # Clocks of two hosts may differ a little: never a negative age.
            self._seconds.observe(max(0.0, now - at))
