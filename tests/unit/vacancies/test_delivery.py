"""Webhook retry policy: exponential backoff, in-order retries, paused after 24 h."""

from datetime import timedelta

from services.vacancies.domain.delivery import (
    DeliveryState,
    Policy,
    SubStatus,
    after_failure,
    after_success,
    backoff,
    due,
    resumed,
)
from tests.unit.vacancies.builders import T0, at

POLICY = Policy(timedelta(seconds=1), timedelta(minutes=5), timedelta(hours=24))


def test_backoff_doubles_up_to_the_cap():
    assert [backoff(n, POLICY).total_seconds() for n in range(1, 6)] == [1, 2, 4, 8, 16]
    assert backoff(40, POLICY) == timedelta(minutes=5)


def test_failures_wait_then_succeed_and_reset():
    state = after_failure(DeliveryState(), T0, "refused", POLICY)
    assert (state.status, state.failures, state.next_attempt_at) == (
        SubStatus.FAILING,
        1,
        at(hours=1 / 3600),
    )
    assert not due(state, T0) and due(state, at(hours=1))
    state = after_failure(state, at(hours=1), "refused", POLICY)
    assert state.failing_since == T0 and state.failures == 2
    assert after_success(state) == DeliveryState()


def test_a_subscription_failing_for_24_hours_is_paused_until_resumed():
    state = after_failure(DeliveryState(), T0, "down", POLICY)
    state = after_failure(state, at(hours=23), "down", POLICY)
    assert state.status is SubStatus.FAILING
    state = after_failure(state, at(hours=24), "down", POLICY)
    assert state.status is SubStatus.PAUSED and not due(state, at(days=30))
    again = resumed(state)
    assert again.status is SubStatus.ACTIVE and due(again, at(days=30))
    assert again.failing_since is None
