"""/readyz follows the broker: ready while it answers, not ready once it is gone."""

from contextlib import ExitStack

import httpx
import pytest

from sufficiency.stack.processes import tansu_broker
from tests.e2e.stack import poll
from tests.support.services import running_service, service_env

pytestmark = pytest.mark.integration


def test_not_ready_while_the_broker_is_down(tmp_path):
    with ExitStack() as broker:
        bootstrap = broker.enter_context(tansu_broker())
        env = service_env(tmp_path, bootstrap, idempotence=False)
        with running_service("referrals", env) as svc:
            ready = httpx.get(f"{svc.url}/readyz")
            assert ready.status_code == 200
            assert ready.json()["checks"] == {"database": True, "broker": True}

            broker.close()  # stop the broker, keep the service

            assert poll(
                lambda: httpx.get(f"{svc.url}/readyz", timeout=10).status_code == 503, timeout=30
            )
            assert httpx.get(f"{svc.url}/readyz", timeout=10).json()["checks"]["broker"] is False
            assert httpx.get(f"{svc.url}/healthz").status_code == 200  # the process itself is fine
