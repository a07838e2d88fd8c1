"""When to try a webhook delivery again, and when to give up on a subscriber (pure).

Deliveries are strictly in order per subscription: a failed one is retried
with exponential backoff (base x 2^(failures-1), capped) and nothing after it
is sent meanwhile. A subscription that has failed without a single success
for `pause_after` is paused until someone resumes it.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum


class SubStatus(StrEnum):
    ACTIVE = "active"
    FAILING = "failing"
    PAUSED = "paused"


@dataclass(frozen=True)
class Policy:
    backoff_base: timedelta = timedelta(seconds=1)
    backoff_max: timedelta = timedelta(minutes=5)
    pause_after: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class DeliveryState:
    status: SubStatus = SubStatus.ACTIVE
    failures: int = 0
    failing_since: datetime | None = None
    next_attempt_at: datetime | None = None
    last_error: str | None = None


def backoff(failures: int, policy: Policy) -> timedelta:
    if failures <= 0:
        return timedelta(0)
    return min(policy.backoff_base * (2 ** min(failures - 1, 30)), policy.backoff_max)


def after_success(state: DeliveryState) -> DeliveryState:
    return DeliveryState()


def after_failure(state: DeliveryState, now: datetime, error: str, policy: Policy) -> DeliveryState:
    failures = state.failures + 1
    since = state.failing_since or now
    paused = now - since >= policy.pause_after
    return DeliveryState(
        status=SubStatus.PAUSED if paused else SubStatus.FAILING,
        failures=failures,
        failing_since=since,
        next_attempt_at=None if paused else now + backoff(failures, policy),
        last_error=error[:500],
    )


def resumed(state: DeliveryState) -> DeliveryState:
    """Resumed by hand: try at once; the failure clock starts again."""
    return replace(
        state, status=SubStatus.ACTIVE, failures=0, failing_since=None, next_attempt_at=None
    )


def due(state: DeliveryState, now: datetime) -> bool:
    if state.status is SubStatus.PAUSED:
        return False
    return state.next_attempt_at is None or state.next_attempt_at <= now
