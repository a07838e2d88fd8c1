"""Webhook signatures: HMAC-SHA256 over the exact body."""

from services.vacancies.domain.signature import new_secret, sign, verify


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
