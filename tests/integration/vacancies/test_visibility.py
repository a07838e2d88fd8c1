"""What each LA can see: own homes in full, others' shared homes redacted, never the
unshared ones; own vacancies and occupancy only."""

import uuid

import pytest

from tests.integration.vacancies import events as ev
from tests.integration.vacancies.conftest import NOTTINGHAM_FEED, OUTSIDER

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def derby_homes(vacancies):
    tag = uuid.uuid4().hex[:6]
    shared, unshared, foster = f"S-{tag}", f"U-{tag}", f"F-{tag}"
    batch = [
        ev.home(shared),
        ev.home(unshared, shared=False),
        ev.home(foster, kind="foster_household", name=None, urn=None, registered_places=2),
        ev.opened(f"VS-{tag}", shared),
        ev.opened(f"VU-{tag}", unshared),
    ]
    response = vacancies.post(ev.DERBY, batch)
    assert response.status_code == 202, response.text
    return shared, unshared, foster, tag


def ids(response) -> set[str]:
    assert response.status_code == 200, response.text
    return {h["home_id"] for h in response.json()}


def test_an_la_sees_all_its_own_homes(vacancies, derby_homes):
    shared, unshared, foster, _ = derby_homes
    assert {shared, unshared, foster} <= ids(vacancies.get(ev.DERBY, "/homes"))
    mine = vacancies.get(ev.DERBY, f"/homes/{unshared}").json()
    assert mine["postcode"] == "DE22 1AA" and mine["name"] == f"{unshared} House"


def test_another_la_never_sees_unshared_homes(vacancies, derby_homes):
    shared, unshared, foster, _ = derby_homes
    theirs = ids(vacancies.get(ev.NOTTINGHAM, "/homes", la=ev.DERBY))
    assert shared in theirs and foster in theirs
    assert unshared not in theirs
    assert vacancies.get(ev.NOTTINGHAM, f"/homes/{unshared}").status_code == 404
    seen = vacancies.get(ev.NOTTINGHAM, f"/homes/{shared}").json()
    assert seen["postcode"] is None and seen["location"] is None
    assert seen["postcode_district"] == "DE22"
    assert vacancies.get(ev.NOTTINGHAM, f"/homes/{foster}").json()["name"] is None
    assert vacancies.get(OUTSIDER, "/homes", la=ev.DERBY).status_code == 403


def test_vacancies_occupancy_and_feed_keep_to_their_owners(vacancies, derby_homes):
    shared, _, _, tag = derby_homes
    own = {v["vacancy_id"] for v in vacancies.get(ev.DERBY, "/vacancies").json()}
    assert {f"VS-{tag}", f"VU-{tag}"} <= own
    assert not {v["vacancy_id"] for v in vacancies.get(ev.NOTTINGHAM, "/vacancies").json()} & own
    assert vacancies.get(ev.NOTTINGHAM, f"/homes/{shared}/occupancy").status_code == 404
    assert vacancies.get(ev.NOTTINGHAM, "/occupancy", la=ev.DERBY).status_code == 403
    feed = vacancies.get(NOTTINGHAM_FEED, "/feed/vacancies", limit=500).json()
    in_feed = {e["event"]["data"]["vacancy_id"] for e in feed["entries"]}
    assert f"VS-{tag}" in in_feed and f"VU-{tag}" not in in_feed


def test_keys_need_their_scope_and_their_la(vacancies):
    assert vacancies.get(NOTTINGHAM_FEED, "/homes").status_code == 403  # feed:read only
    foreign = ev.home("X1", la=ev.DERBY)
    assert vacancies.post(ev.NOTTINGHAM, foreign).status_code == 403
    assert vacancies.post(NOTTINGHAM_FEED, ev.home("X2", la=ev.NOTTINGHAM)).status_code == 403
