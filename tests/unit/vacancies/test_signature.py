"""Webhook signatures: HMAC-SHA256 over the exact body."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from services.vacancies.domain.signature import new_secret, sign, standard_headers, verify


def test_signature_matches_the_rfc_4231_vector():
    # RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert sign("Jefe", b"what do ya want for nothing?") == f"sha256={expected}"


def test_a_subscriber_can_verify_and_a_tampered_body_fails():
    secret = new_secret()
    body = b'{"type":"feed.vacancy.v1"}'
    header = sign(secret, body)
    assert verify(secret, body, header)
    assert not verify(secret, body + b" ", header)
    assert not verify(new_secret(), body, header)
    assert not verify(secret, body, None)


def test_secrets_are_distinct_and_long():
    a, b = new_secret(), new_secret()
    assert a != b and len(a) > 40


def test_standard_webhooks_headers_verify_with_the_reference_library():
    secret, body = new_secret(), b'{"type":"feed.vacancy.v1","id":"x"}'
    at = datetime.now(UTC)
    headers = standard_headers(secret, "sub_1_7", at, body)
    assert headers["webhook-id"] == "sub_1_7"
    assert headers["webhook-timestamp"] == str(int(at.timestamp()))
    assert Webhook(secret).verify(body, headers) == json.loads(body)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body + b" ", headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)


def test_the_signed_content_is_id_dot_timestamp_dot_body():
    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    at = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    headers = standard_headers(secret, "msg_1", at, b"{}")
    mac = hmac.new(b"k" * 32, f"msg_1.{int(at.timestamp())}.{{}}".encode(), hashlib.sha256)
    assert headers["webhook-signature"] == "v1," + base64.b64encode(mac.digest()).decode()


def test_a_replayed_delivery_is_refused_by_its_timestamp():
    secret, body = new_secret(), b"{}"
    stale = standard_headers(secret, "sub_1_1", datetime.now(UTC) - timedelta(minutes=10), body)
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(body, stale)


def test_secrets_from_before_base64_keep_x_signature_256_only():
    legacy = "whsec_" + "a-b_c" * 8 + "x"  # token_urlsafe: not base64
    assert standard_headers(legacy, "sub_1_1", datetime.now(UTC), b"{}") == {}
    assert verify(legacy, b"{}", sign(legacy, b"{}"))
