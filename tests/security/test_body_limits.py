"""Request bodies and single events have limits; over them nothing is stored.

The referrals service runs as a real process on the real broker.
"""

from collections.abc import Iterator

import httpx
import pytest

from shared.auth.keys import Scope
from shared.auth.store import create_key, keys_engine
from shared.settings import ServiceSettings
from tests.support.services import running_service, service_env
from tests.unit.shared.builders import DERBY, admitted

pytestmark = pytest.mark.integration

LIMIT = 300_000  # MAX_REQUEST_BYTES for this service; the default is 5 MiB
EVENT_LIMIT = 100_000  # MAX_EVENT_BYTES; the default is 1,000,000


@pytest.fixture(scope="module")
def referrals(broker, tmp_path_factory) -> Iterator[tuple[str, dict[str, str]]]:
    data_dir = tmp_path_factory.mktemp("limits")
    bootstrap, idempotent = broker
    key = create_key(keys_engine(None, None, data_dir), DERBY, frozenset(Scope))[1]
    env = service_env(
        data_dir,
        bootstrap,
        idempotent,
        MAX_REQUEST_BYTES=str(LIMIT),
        MAX_EVENT_BYTES=str(EVENT_LIMIT),
    )
    with running_service("referrals", env) as svc:
        yield svc.url, {"Authorization": f"Bearer {key}"}


def journey(url: str, headers: dict[str, str], child: str) -> int:
    return httpx.get(f"{url}/children/{child}/journey", headers=headers).status_code


def padded(child: str, size: int) -> dict[str, object]:
    """An admission with an extension attribute making it about `size` bytes."""
    return admitted(child=child) | {"notes": "x" * size}


def test_the_defaults_are_five_mebibytes_a_request_and_a_million_bytes_an_event():
    settings = ServiceSettings()
    assert settings.max_request_bytes == 5 * 1024 * 1024
    assert settings.max_event_bytes == 1_000_000


def test_a_declared_length_over_the_limit_is_413_and_stores_nothing(referrals):
    url, headers = referrals
    response = httpx.post(f"{url}/events", json=[padded("L1", LIMIT)], headers=headers, timeout=30)
    assert response.status_code == 413
    assert response.json() == {
        "detail": f"request body over {LIMIT} bytes",
        "errors": [],
        "limit_bytes": LIMIT,
    }
    assert journey(url, headers, "L1") == 404


def test_a_chunked_body_without_length_is_cut_off_at_the_limit(referrals):
    url, headers = referrals
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        yield b'[{"notes":"'
        for _ in range(40):  # 40 x 64 KiB: far over the limit
            sent += 65536
            yield b"x" * 65536
        yield b'"}]'

    try:
        response = httpx.post(
            f"{url}/events",
            content=chunks(),
            headers={**headers, "Content-Type": "application/json"},
            timeout=30,
        )
    except httpx.HTTPError:
        # The server answered and closed while the rest was still being sent.
        assert sent < 40 * 65536
        return
    assert response.status_code == 413
    assert response.json()["limit_bytes"] == LIMIT


def test_a_body_under_the_limit_still_goes_through(referrals):
    url, headers = referrals
    response = httpx.post(f"{url}/events", json=[padded("L2", 1000)], headers=headers)
    assert response.status_code == 202, response.text
    assert journey(url, headers, "L2") == 200


def test_one_event_over_the_broker_limit_refuses_the_whole_batch_naming_the_limit(referrals):
    url, headers = referrals
    batch = [admitted(child="L3"), padded("L4", EVENT_LIMIT + 10)]
    response = httpx.post(f"{url}/events", json=batch, headers=headers, timeout=30)
    assert response.status_code == 422, response.text
    [problem] = response.json()["errors"]
    assert (problem["index"], problem["reason"]) == (1, "event_too_large")
    assert f"at most {EVENT_LIMIT}" in problem["message"]
    assert journey(url, headers, "L3") == 404  # the good event in the batch was not stored
    assert journey(url, headers, "L4") == 404
