"""Webhook delivery: a subscriber that was down gets everything afterwards, in order and
signed; one that stays down past the limit is paused and reported."""

import json
import time
import uuid
from datetime import timedelta

import httpx
import pytest

from services.vacancies.domain.signature import verify
from tests.integration.vacancies import events as ev
from tests.integration.vacancies.conftest import NOTTINGHAM_FEED, WebhookReceiver, wait_until
from tests.support.ports import free_port

pytestmark = pytest.mark.integration


def subscribe(svc, url: str) -> dict:
    response = httpx.post(
        f"{svc.url}/feed/subscriptions", json={"url": url}, headers=svc.headers(NOTTINGHAM_FEED)
    )
    assert response.status_code == 201, response.text
    return response.json()


def subscription(svc, sub_id: str) -> dict:
    subs = svc.get(NOTTINGHAM_FEED, "/feed/subscriptions").json()
    return next(s for s in subs if s["id"] == sub_id)


def feed_seqs_after(svc, cursor: int, upto: int) -> list[int]:
    page = svc.get(NOTTINGHAM_FEED, "/feed/vacancies", cursor=cursor, limit=500).json()
    return [e["seq"] for e in page["entries"] if e["seq"] <= upto]


def test_a_receiver_down_for_a_while_gets_every_delivery_after_in_order(vacancies):
    svc, tag = vacancies, uuid.uuid4().hex[:6]
    receiver = WebhookReceiver().start()
    sub = subscribe(svc, receiver.url)
    home, a, b = f"H-{tag}", f"A-{tag}", f"B-{tag}"
    assert svc.post(ev.DERBY, [ev.home(home), ev.opened(a, home)]).status_code == 202
    wait_until(lambda: any(a.encode() in d.body for d in receiver.received), 5)

    receiver.stop()
    changes = [
        [ev.opened(b, home)],
        [ev.held(a, "R-1", ev.now() + timedelta(hours=2))],
        [ev.withdrawn(b)],
        [ev.withdrawn(a)],
    ]
    for batch in changes:
        assert svc.post(ev.DERBY, batch).status_code == 202
    wait_until(lambda: subscription(svc, sub["id"])["failures"] >= 3, 10)
    down = subscription(svc, sub["id"])
    assert down["status"] == "failing" and down["last_error"]
    time.sleep(1.0)

    came_back = len(receiver.received)
    receiver.start()  # the same port
    last = svc.get(NOTTINGHAM_FEED, "/feed/vacancies", cursor=down["cursor"], limit=500).json()
    upto = int(last["next_cursor"])
    wait_until(lambda: subscription(svc, sub["id"])["cursor"] >= upto, 10)

    after = receiver.received[came_back:]
    seqs = [int(d.headers["X-Feed-Seq"]) for d in after if int(d.headers["X-Feed-Seq"]) <= upto]
    assert seqs == feed_seqs_after(svc, down["cursor"], upto)  # all, in order, no gaps
    assert all(verify(sub["secret"], d.body, d.headers["X-Signature-256"]) for d in after)
    mine = [json.loads(d.body)["data"] for d in after if tag.encode() in d.body]
    assert [(m["vacancy_id"], m["status"]) for m in mine] == [
        (b, "open"),
        (a, "held"),
        (b, "withdrawn"),
        (a, "withdrawn"),
    ]
    assert subscription(svc, sub["id"])["status"] == "active"
    receiver.stop()
    httpx.delete(f"{svc.url}/feed/subscriptions/{sub['id']}", headers=svc.headers(NOTTINGHAM_FEED))


def test_a_subscription_failing_past_the_limit_is_paused_reported_and_resumable(vacancies):
    svc, tag = vacancies, uuid.uuid4().hex[:6]
    sub = subscribe(svc, f"http://127.0.0.1:{free_port()}/nobody-listens")
    assert svc.post(ev.DERBY, [ev.home(f"H-{tag}"), ev.opened(f"V-{tag}", f"H-{tag}")]).is_success
    paused = wait_until(
        lambda: (s := subscription(svc, sub["id"]))["status"] == "paused" and s, timeout=20
    )
    assert paused["paused_at"] and paused["failing_since"] and paused["failures"] >= 3
    metrics = httpx.get(f"{svc.url}/metrics").text
    assert 'sufficiency_feed_webhook_subscriptions{region="D2N2",status="paused"} 1.0' in metrics
    assert 'sufficiency_feed_webhook_deliveries_total{outcome="failed"}' in metrics

    resumed = httpx.post(
        f"{svc.url}/feed/subscriptions/{sub['id']}/resume", headers=svc.headers(NOTTINGHAM_FEED)
    )
    assert resumed.json()["status"] == "active"
    gone = httpx.delete(
        f"{svc.url}/feed/subscriptions/{sub['id']}", headers=svc.headers(NOTTINGHAM_FEED)
    )
    assert gone.status_code == 204
    assert sub["id"] not in [
        s["id"] for s in svc.get(NOTTINGHAM_FEED, "/feed/subscriptions").json()
    ]
