"""A broker crash and a restart of the stack must not leave consumers stalled.

The embedded broker keeps nothing: after it dies the relays publish their
history again, and a consumer's saved position can lie past the end of the
refilled log. On the real embedded stack the CLI starts: kill -9 the broker
while events are being posted, stop and start the stack, post one event, and
it is counted within seconds.
"""

import os
import signal
import threading

import httpx
import pytest

from tests.e2e.stack import broker_pid, embedded_stack, poll
from tests.e2e.test_vertical_slice import child, post, value

pytestmark = pytest.mark.e2e

CHILDREN = 30
START = 300  # seconds for the stack to be ready: a busy shared machine imports slowly


def post_load(stack, first: int, count: int) -> None:
    for n in range(first, first + count):
        response = post(stack, "referrals", child(n))
        assert response.status_code == 202, response.text


def lag_samples(stack, service: str) -> dict[str, float]:
    text = httpx.get(f"{stack.urls[service]}/metrics", timeout=10).text
    return {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("sufficiency_consumer_lag_messages{")
    }


def test_one_event_after_a_broker_crash_and_a_restart_is_counted_within_seconds(tmp_path):
    with embedded_stack(tmp_path, ready_timeout=START) as stack:
        ports = {n: int(u.rsplit(":", 1)[1]) for n, u in stack.urls.items()}
        broker_port = stack.broker_port
        post_load(stack, 0, CHILDREN // 2)
        assert poll(lambda: value(stack, "children_in_care") == CHILDREN // 2, timeout=60)
        load = threading.Thread(target=post_load, args=(stack, CHILDREN // 2, CHILDREN // 2))
        load.start()
        os.kill(broker_pid(tmp_path), signal.SIGKILL)  # under load
        load.join()
        assert poll(lambda: value(stack, "children_in_care") == CHILDREN, timeout=90)
    with embedded_stack(tmp_path, ports, broker_port, ready_timeout=START) as stack:
        assert post(stack, "referrals", child(CHILDREN)).status_code == 202
        assert poll(lambda: value(stack, "children_in_care") == CHILDREN + 1, timeout=15)
        lags = lag_samples(stack, "metrics")
        assert any('consumer="metrics.projection"' in name for name in lags), lags
        assert poll(lambda: all(v == 0 for v in lag_samples(stack, "metrics").values()))
        ready = httpx.get(f"{stack.urls['metrics']}/readyz", timeout=10).json()
        assert ready["checks"]["consumers"] is True
        assert all(c["lag_messages"] == 0 for c in ready["consumers"].values())
