"""Examples on every operation of the API documents: the shared endpoints' here,
each service's in its entrypoints/examples.py (a test checks each against its schema).

Keys are "METHOD /path"; values give the request body and the success response.
"""

from typing import Any, TypedDict


class OperationExamples(TypedDict, total=False):
    request: Any  # the request body
    response: Any  # the first 2xx response's body


Examples = dict[str, OperationExamples]

OPERATIONAL: Examples = {
    "GET /healthz": {"response": {"status": "ok"}},
    "GET /readyz": {
        "response": {
            "status": "ready",
            "checks": {"database": True, "broker": True},
            "replica": "referrals-7d9f8-1",
            "leads": {"outbox-relay": True},
        }
    },
    "GET /metrics": {
        "response": "# HELP sufficiency_events_accepted_total Events accepted\n"
        "# TYPE sufficiency_events_accepted_total counter\n"
        'sufficiency_events_accepted_total{type="child.admitted.v1"} 1.0\n'
    },
}
