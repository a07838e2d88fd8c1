"""Events on the journey topic: a placement fills a vacancy, occupancy follows the
children's stays, and a referral received there can be matched by its id."""

import json
import uuid
from datetime import timedelta

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.kafka.topics import JOURNEY, SUPPLY
from tests.integration.vacancies import events as ev
from tests.integration.vacancies.conftest import NOTTINGHAM_FEED, wait_until

pytestmark = pytest.mark.integration
# The embedded broker assigns a consumer group's partitions 5 s after a member joins, and
# some 20 s when an earlier member of the group (a previous service) has not left cleanly.
ASSIGNMENT = 45.0


async def produce(bootstrap: str, events: list[dict]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for e in events:
            key = e["data"]["child_id"].encode()
            await producer.send_and_wait(JOURNEY, json.dumps(e).encode(), key=key)
    finally:
        await producer.stop()


async def supply_events(bootstrap: str, vacancy_id: str, timeout: float = 10) -> list[dict]:
    consumer = AIOKafkaConsumer(
        SUPPLY, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    found: list[dict] = []
    try:
        batch = await consumer.getmany(timeout_ms=int(timeout * 1000))
        for records in batch.values():
            found += [json.loads(r.value) for r in records]
    finally:
        await consumer.stop()
    return [e for e in found if e.get("subject") == vacancy_id]


def status_of(svc, vacancy_id: str) -> str:
    rows = svc.get(ev.DERBY, "/vacancies").json()
    return next(v["status"] for v in rows if v["vacancy_id"] == vacancy_id)


async def test_a_placement_into_a_home_with_an_open_vacancy_fills_it(vacancies):
    svc, tag = vacancies, uuid.uuid4().hex[:6]
    home, vacancy = f"H-{tag}", f"V-{tag}"
    assert svc.post(ev.DERBY, [ev.home(home), ev.opened(vacancy, home)]).status_code == 202
    await produce(svc.bootstrap, [ev.placement_started(f"P-{tag}", f"C-{tag}", home)])

    wait_until(lambda: status_of(svc, vacancy) == "filled", ASSIGNMENT)
    feed = svc.get(NOTTINGHAM_FEED, "/feed/vacancies", limit=500).json()["entries"]
    statuses = [e["event"]["data"]["status"] for e in feed if e["event"]["subject"] == vacancy]
    assert statuses == ["open", "filled"]
    filled = [e for e in await supply_events(svc.bootstrap, vacancy) if "filled" in e["type"]]
    assert [(e["la"], e["data"]["placement_id"]) for e in filled] == [(ev.DERBY, f"P-{tag}")]
    occupancy = svc.get(ev.DERBY, f"/homes/{home}/occupancy").json()
    assert (occupancy["registered_places"], occupancy["occupied_places"]) == (3, 1)


async def test_occupancy_now_and_as_of_past_dates(vacancies):
    svc, tag = vacancies, uuid.uuid4().hex[:6]
    home = f"O-{tag}"
    registered = ev.now() - timedelta(days=3)
    assert svc.post(ev.DERBY, [ev.home(home, registered_places=2, time=registered)]).is_success
    today = ev.now().date()
    day = lambda n: (today - timedelta(days=n)).isoformat()  # noqa: E731
    one, two = f"C1-{tag}", f"C2-{tag}"
    await produce(
        svc.bootstrap,
        [
            ev.placement_started(f"P1-{tag}", one, home, date=day(1)),
            ev.placement_started(f"P2-{tag}", two, home, date=day(1)),
            ev.envelope(
                "placement.ended.v1",
                {"placement_id": f"P1-{tag}", "child_id": one, "date": today.isoformat()},
                ev.DERBYSHIRE,
            ),
            ev.envelope(
                "child.left_care.v1",
                {"child_id": two, "date": today.isoformat(), "reason": "E4A"},
                ev.DERBYSHIRE,
            ),
        ],
    )

    def occupied(as_of: str) -> int:
        return svc.get(ev.DERBY, f"/homes/{home}/occupancy", as_of=as_of).json()["occupied_places"]

    wait_until(lambda: occupied(today.isoformat()) == 0 and occupied(day(1)) == 2, ASSIGNMENT)
    assert occupied(day(2)) == 0
    assert svc.get(ev.DERBY, f"/homes/{home}/occupancy", as_of=day(4)).json() == {
        "home_id": home,
        "as_of": day(4),
        "registered_places": 0,
        "occupied_places": 0,
        "vacant_places": 0,
        "occupancy_ratio": None,
    }
    report = svc.get(ev.DERBY, "/occupancy", la=ev.DERBY, as_of=day(1)).json()
    mine = next(h for h in report["homes"] if h["home_id"] == home)
    assert (mine["registered_places"], mine["occupied_places"], mine["occupancy_ratio"]) == (
        2,
        2,
        1.0,
    )
    assert report["total"]["occupied_places"] >= 2


async def test_a_referral_from_the_journey_topic_is_matched_by_its_id(vacancies):
    svc, tag = vacancies, uuid.uuid4().hex[:6]
    fits, misses = f"FIT-{tag}", f"MISS-{tag}"
    batch = [
        ev.home(f"HF-{tag}", specialisms=["cse_risk"]),
        ev.opened(fits, f"HF-{tag}", suitable_for=["cse_risk"]),
        ev.home(f"HM-{tag}", specialisms=[], ofsted_rating="outstanding", weekly_price=3000.0),
        ev.opened(misses, f"HM-{tag}", suitable_for=[]),
    ]
    assert svc.post(ev.DERBY, batch).status_code == 202
    await produce(svc.bootstrap, [ev.referral(f"R-{tag}", f"C-{tag}")])

    def ranked():
        response = svc.post_json(ev.DERBYSHIRE, "/matches", {"referral_id": f"R-{tag}"})
        return response.status_code == 200 and response.json()

    report = wait_until(ranked, ASSIGNMENT)
    order = [m["vacancy_id"] for m in report["matches"] if tag in m["vacancy_id"]]
    assert order == [fits, misses]
    best = report["matches"][0]
    assert best["needs_met"] and best["reasons"] and best["home_id"] is None  # not Derbyshire's
    assert best["within_20_miles"] is True
    assert svc.post_json(ev.DERBY, "/matches", {"referral_id": f"R-{tag}"}).status_code == 404
