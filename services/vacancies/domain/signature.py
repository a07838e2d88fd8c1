"""Webhook signatures: HMAC-SHA256 of the exact body with the subscription's secret."""

import hashlib
import hmac
import secrets

HEADER = "X-Signature-256"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, body: bytes) -> str:
    """The X-Signature-256 header value: `sha256=<hex digest>`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """What a subscriber does: recompute and compare in constant time."""
    return header is not None and hmac.compare_digest(sign(secret, body), header)
