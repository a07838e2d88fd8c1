"""903 returns over HTTP, as an LA's system sees them, on the real broker."""

import time

import httpx
import pytest

from services.referrals.domain.ssda903.generate import generate_return
from shared.auth.keys import Scope
from shared.auth.store import create_key, keys_engine
from tests.contract.test_ssda903_service import to_csv
from tests.support.services import running_service, service_env
from tests.unit.shared.builders import DERBY

pytestmark = pytest.mark.integration
RET = generate_return(30, 2024, seed=5, la=DERBY)
HEADER, EPISODES = to_csv(RET.header), to_csv(RET.episodes)


@pytest.fixture(scope="module")
def referrals(broker, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("referrals903")
    bootstrap, idempotent = broker
    key = create_key(keys_engine(None, None, data_dir), DERBY, frozenset(Scope))[1]
    env = service_env(data_dir, bootstrap, idempotent, SSDA903_ASYNC_BYTES="3000")
    with running_service("referrals", env) as svc:
        yield svc.url, {"Authorization": f"Bearer {key}"}


def post(referrals, episodes: bytes, year: int | None = 2024) -> httpx.Response:
    url, auth = referrals
    files = {"header": ("h.csv", HEADER.encode("cp1252")), "episodes": ("e.csv", episodes)}
    params = {} if year is None else {"year": year}
    return httpx.post(f"{url}/ssda903/imports", files=files, params=params, headers=auth,
                      timeout=60)  # fmt: skip


def test_file_level_problems_answer_422_with_one_reason_and_store_nothing(referrals):
    url, auth = referrals
    for body, year, reason in (
        (EPISODES.replace(",", ";").encode(), 2024, "wrong_delimiter"),
        (EPISODES.encode(), 9999, "year_not_known"),
        (EPISODES.splitlines()[0].encode(), 2024, "no_data_rows"),
        (EPISODES.encode("utf-16"), 2024, "undecodable"),
    ):
        response = post(referrals, body, year)
        assert response.status_code == 422, response.text
        assert response.json()["reason"] == reason
    exported = httpx.get(f"{url}/ssda903/episodes", params={"year": 2024}, headers=auth)
    assert exported.status_code == 200 and exported.text.count("\n") == 1  # column names only


def test_a_small_return_is_imported_at_once_and_a_large_one_in_the_background(referrals):
    url, auth = referrals
    small = [r for r in RET.episodes if r["CHILD"] == RET.episodes[0]["CHILD"]]
    response = post(referrals, to_csv(small).encode())
    assert response.status_code == 200, response.text
    assert response.json()["episodes_imported"] == len(small)
    assert response.json()["encodings"]["header"] == "utf-8"  # plain ASCII reads as UTF-8

    bom = ("\ufeff" + EPISODES).encode()
    assert len(bom) > 3000  # over SSDA903_ASYNC_BYTES
    accepted = post(referrals, bom)
    assert accepted.status_code == 202, accepted.text
    status_url = accepted.json()["status_url"]
    assert accepted.headers["Location"] == status_url
    deadline = time.monotonic() + 120
    while True:
        status = httpx.get(f"{url}{status_url}", headers=auth, timeout=30).json()
        if status["status"] != "running" or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert status["status"] == "done", status
    assert status["done"] == status["total"] > 0
    assert status["result"]["episodes_imported"] == len(RET.episodes)
    exported = httpx.get(f"{url}/ssda903/episodes", params={"year": 2024}, headers=auth)
    assert exported.text == EPISODES


def test_imports_past_the_limit_are_a_503_that_stores_nothing_until_one_ends(broker, tmp_path):
    bootstrap, idempotent = broker
    key = create_key(keys_engine(None, None, tmp_path), DERBY, frozenset(Scope))[1]
    auth = {"Authorization": f"Bearer {key}"}
    env = service_env(
        tmp_path, bootstrap, idempotent, SSDA903_ASYNC_BYTES="3000", SSDA903_MAX_IMPORTS="1"
    )
    big = generate_return(400, 2024, seed=6, la=DERBY)  # some seconds in the background
    small = generate_return(3, 2024, seed=7, la=DERBY)
    ours = [{**r, "CHILD": "Z" + r["CHILD"]} for r in small.header]  # no child of `big`
    theirs = [{**r, "CHILD": "Z" + r["CHILD"]} for r in small.episodes]
    with running_service("referrals", env) as svc:

        def upload(header: list[dict[str, str]], episodes: list[dict[str, str]]) -> httpx.Response:
            files = {"header": ("h.csv", to_csv(header)), "episodes": ("e.csv", to_csv(episodes))}
            return httpx.post(
                f"{svc.url}/ssda903/imports", files=files, params={"year": 2024},
                headers=auth, timeout=60,
            )  # fmt: skip

        def exported() -> str:
            return httpx.get(
                f"{svc.url}/ssda903/episodes", params={"year": 2024}, headers=auth, timeout=60
            ).text

        accepted = upload(big.header, big.episodes)
        assert accepted.status_code == 202, accepted.text
        busy = upload(ours, theirs)
        assert busy.status_code == 503, busy.text
        assert busy.headers["Retry-After"] == "60"
        status_url = f"{svc.url}{accepted.json()['status_url']}"
        deadline = time.monotonic() + 300
        while httpx.get(status_url, headers=auth, timeout=30).json()["status"] == "running":
            assert time.monotonic() < deadline
            time.sleep(0.5)
        assert "\nZ" not in exported()  # the 503 stored nothing
        again = upload(ours, theirs)  # the finished job gave its slot back
        assert again.status_code == 200, again.text
        assert again.json()["episodes_imported"] == len(theirs)
        assert "\nZ" in exported()
