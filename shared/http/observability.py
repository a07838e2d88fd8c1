"""What every service tells Prometheus about itself: HTTP traffic, and who may read it.

HTTP metrics come from prometheus-fastapi-instrumentator, labelled by route
template (never the raw path: an unknown path is counted as handler "none",
so a scanner cannot grow the label set) and by exact status code.
"""

import hmac

import prometheus_client
from fastapi import FastAPI, HTTPException, Request, status
from prometheus_client import CollectorRegistry
from prometheus_fastapi_instrumentator import Instrumentator, metrics

# Latency buckets in seconds: a query answers in milliseconds, a 903 import in tens of seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def instrument_http(app: FastAPI, registry: CollectorRegistry) -> None:
    # `_created` series double every counter and histogram and nothing here reads them.
    prometheus_client.disable_created_metrics()
    instrumentator = Instrumentator(
        should_group_status_codes=False,
        should_group_untemplated=True,
        # Time to the response's start: an SSE stream is not one slow request.
        should_exclude_streaming_duration=True,
        registry=registry,
    )
    instrumentator.add(
        metrics.requests(
            metric_name="sufficiency_http_requests_total",
            metric_doc="HTTP requests answered, by route template, method and status code",
            registry=registry,
        ),
        metrics.latency(
            metric_name="sufficiency_http_request_duration_seconds",
            metric_doc="Time to answer an HTTP request in seconds, by route template, "
            "method and status code",
            buckets=LATENCY_BUCKETS,
            should_exclude_streaming_duration=True,
            registry=registry,
        ),
    )
    instrumentator.instrument(app)


def check_scrape_token(request: Request, expected: str | None) -> None:
    """Refuse a scrape without the configured bearer token (no token configured: open)."""
    if not expected:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "the scrape token is missing or wrong",
            headers={"WWW-Authenticate": "Bearer"},
        )
