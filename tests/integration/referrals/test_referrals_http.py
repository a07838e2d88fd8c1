"""The referrals service as a client sees it, on the real broker."""

import httpx
import pytest

from shared.auth.keys import Scope
from shared.auth.store import create_key, keys_engine
from tests.support.services import running_service, service_env
from tests.unit.shared.builders import DERBY, DERBYSHIRE, admitted, ended, event, started

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def referrals(broker, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("referrals")
    bootstrap, idempotent = broker
    keys = keys_engine(None, None, data_dir)
    derby = create_key(keys, DERBY, frozenset(Scope))[1]
    derbyshire = create_key(keys, DERBYSHIRE, frozenset(Scope))[1]
    with running_service("referrals", service_env(data_dir, bootstrap, idempotent)) as svc:
        yield svc.url, {DERBY: derby, DERBYSHIRE: derbyshire}


def post(url, key, body):
    return httpx.post(
        f"{url}/events", json=body, headers={"Authorization": f"Bearer {key}"}, timeout=30
    )


def test_a_day_of_events_is_accepted_and_a_resend_is_duplicate(referrals):
    url, keys = referrals
    day = [
        admitted(child="D1", date="2024-05-01"),
        started(child="D1", placement="D1-1", date="2024-05-01"),
        ended(child="D1", placement="D1-1", date="2024-05-03"),
        started(child="D1", placement="D1-2", date="2024-05-03", reason="P"),
    ]
    first = post(url, keys[DERBY], day)
    assert first.status_code == 202
    assert {r["status"] for r in first.json()["results"]} == {"accepted"}
    again = post(url, keys[DERBY], day)
    assert {r["status"] for r in again.json()["results"]} == {"duplicate"}


def test_a_reused_id_with_another_body_is_409(referrals):
    url, keys = referrals
    original = admitted(child="D2")
    assert post(url, keys[DERBY], original).status_code == 202
    changed = {**original, "data": {**original["data"], "sex": 2}}
    response = post(url, keys[DERBY], changed)
    assert response.status_code == 409
    assert response.json()["ids"] == [original["id"]]


def test_invalid_events_are_refused_with_pointer_and_reason_and_nothing_stored(referrals):
    url, keys = referrals
    bad_code = started(child="D3", placement="D3-1", placement_type="XX")
    future = admitted(child="D4", date="2099-01-01")
    response = post(url, keys[DERBY], [admitted(child="D3"), bad_code, future])
    assert response.status_code == 422
    errors = {(e["index"], e["pointer"], e["reason"]) for e in response.json()["errors"]}
    assert (1, "/data/placement_type", "code_not_in_list") in errors
    journey = httpx.get(
        f"{url}/children/D3/journey", headers={"Authorization": f"Bearer {keys[DERBY]}"}
    )
    assert journey.status_code == 404  # the valid admission in that batch was not stored


def test_unknown_type_and_missing_field_have_reasons(referrals):
    url, keys = referrals
    unknown = event("child.teleported.v1", {"child_id": "D5", "date": "2024-05-01"})
    missing = admitted(child="D6")
    del missing["data"]["birth_month"]
    response = post(url, keys[DERBY], [unknown, missing])
    reasons = {(e["index"], e["pointer"], e["reason"]) for e in response.json()["errors"]}
    assert (0, "/type", "unknown_event_type") in reasons
    assert (1, "/data/birth_month", "missing") in reasons


def test_another_las_key_can_neither_write_nor_read_this_las_children(referrals):
    url, keys = referrals
    assert post(url, keys[DERBY], admitted(child="D7")).status_code == 202
    other = {"Authorization": f"Bearer {keys[DERBYSHIRE]}"}
    assert post(url, keys[DERBYSHIRE], admitted(child="D8")).status_code == 403  # event la is Derby
    assert (
        httpx.get(f"{url}/children/D7/journey", params={"la": DERBY}, headers=other).status_code
        == 403
    )
    assert (
        httpx.get(f"{url}/referrals/open", params={"la": DERBY}, headers=other).status_code == 403
    )
    assert httpx.get(f"{url}/children/D7/journey", headers=other).status_code == 404  # not theirs


def test_reads_are_audited_and_return_the_journey(referrals):
    url, keys = referrals
    headers = {"Authorization": f"Bearer {keys[DERBY]}"}
    post(url, keys[DERBY], [admitted(child="D9"), started(child="D9", placement="D9-1")])
    journey = httpx.get(f"{url}/children/D9/journey", headers=headers).json()
    assert journey["periods"][0]["placements"][0]["placement_id"] == "D9-1"
    audit = httpx.get(f"{url}/audit", headers=headers).json()
    assert any(a["action"] == "read_journey" and a["target"] == "D9" for a in audit)


def test_missing_or_wrong_key_is_401(referrals):
    url, _ = referrals
    assert httpx.post(f"{url}/events", json=admitted()).status_code == 401
    bad = {"Authorization": "Bearer psk_nope_nope"}
    assert httpx.post(f"{url}/events", json=admitted(), headers=bad).status_code == 401
