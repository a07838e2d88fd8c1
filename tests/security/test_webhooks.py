"""Webhooks on the running stack: a subscription is its key's; hosts that are not public
are refused (only 127.0.0.1 is allow-listed, for the receivers here); the target's
answer is never shown; deliveries are signed with the Standard Webhooks scheme."""

import time
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from services.vacancies.domain.signature import verify
from tests.e2e.stack import poll
from tests.integration.vacancies.conftest import WebhookReceiver
from tests.security.conftest import Secured

pytestmark = pytest.mark.e2e


def subscribe(s: Secured, who: str, url: str, **extra: object):
    return s.call(who, "POST", "vacancies", "/feed/subscriptions", json={"url": url, **extra})


def listed(s: Secured, who: str) -> list[dict]:
    response = s.call(who, "GET", "vacancies", "/feed/subscriptions")
    assert response.status_code == 200, response.text
    return response.json()


def test_a_subscription_is_the_keys_that_made_it(secured, receiver):
    s = secured
    made = subscribe(s, "derby", receiver.url)
    assert made.status_code == 201, made.text
    sub = made.json()["id"]
    assert sub in [x["id"] for x in listed(s, "derby")]
    # Another key of the same LA, and the region's reader, neither see nor touch it.
    assert sub not in [x["id"] for x in listed(s, "derby_feed")]
    assert sub not in [x["id"] for x in listed(s, "reader")]
    for who in ("derby_feed", "reader"):
        resume = s.call(who, "POST", "vacancies", f"/feed/subscriptions/{sub}/resume")
        delete = s.call(who, "DELETE", "vacancies", f"/feed/subscriptions/{sub}")
        assert resume.status_code in (403, 404) and delete.status_code in (403, 404)
    assert (
        s.call("derby_feed", "DELETE", "vacancies", f"/feed/subscriptions/{sub}").status_code == 404
    )
    assert sub in [x["id"] for x in listed(s, "derby")]
    assert s.call("derby", "DELETE", "vacancies", f"/feed/subscriptions/{sub}").status_code == 204


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://127.0.0.2:8002/",  # loopback outside the allow-list
        "http://[::1]:8002/",
        "http://2130706434/",  # 127.0.0.2, decimal
        "http://0x7f.2/",  # hex
        "http://0177.0.0.2/",  # octal
        "http://[::ffff:127.0.0.2]/",  # IPv4-mapped IPv6
        "http://[::ffff:169.254.169.254]/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://172.16.5.4/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://0.0.0.0:8002/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",
        "http://nowhere.invalid/",  # does not resolve
    ],
)
def test_hosts_that_are_not_public_are_refused_and_nothing_is_made(secured, url):
    before = listed(secured, "derby_feed")
    response = subscribe(secured, "derby_feed", url)
    assert response.status_code == 422, response.text
    assert "webhook url refused" in response.text
    assert listed(secured, "derby_feed") == before


def test_the_targets_answer_is_never_shown_to_the_subscriber(secured):
    target = WebhookReceiver(status=500, answer=b"internal-banner: db01 10.1.2.3").start()
    try:
        made = subscribe(secured, "derby_feed", target.url, from_cursor=0)
        assert made.status_code == 201, made.text
        sub = made.json()["id"]

        def failed() -> dict | None:
            mine = next(x for x in listed(secured, "derby_feed") if x["id"] == sub)
            return mine if mine["failures"] >= 1 else None

        shown = poll(failed, timeout=30)
        assert target.received  # it was tried
        assert shown["last_error"] == "failed"
        text = str(listed(secured, "derby_feed"))
        assert "internal-banner" not in text and "HTTP" not in text and "500" not in text
        secured.call("derby_feed", "DELETE", "vacancies", f"/feed/subscriptions/{sub}")
    finally:
        target.stop()


def test_deliveries_are_signed_with_standard_webhooks_and_x_signature_256(secured, receiver):
    made = subscribe(secured, "derby_feed", receiver.url, from_cursor=0)
    assert made.status_code == 201, made.text
    sub, secret = made.json()["id"], made.json()["secret"]
    poll(lambda: receiver.received, timeout=30)
    headers, body = receiver.received[0].headers, receiver.received[0].body
    assert Webhook(secret).verify(body, headers)  # id.timestamp.body, within 5 minutes
    assert headers["webhook-id"] == f"{sub}_{headers['X-Feed-Seq']}"
    assert abs(int(headers["webhook-timestamp"]) - datetime.now(UTC).timestamp()) < 300
    assert verify(secret, body, headers["X-Signature-256"])
    forged = {**headers, "webhook-timestamp": str(int(time.time()) - 3600)}
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(body, forged)
    secured.call("derby_feed", "DELETE", "vacancies", f"/feed/subscriptions/{sub}")
