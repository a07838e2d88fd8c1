"""Webhook signatures, two schemes on every delivery.

- Standard Webhooks (https://www.standardwebhooks.com): headers `webhook-id`,
  `webhook-timestamp` (Unix seconds) and `webhook-signature` =
  `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the base64
  decoding of the secret after its `whsec_` prefix. The timestamp is signed,
  so a receiver can refuse a replayed delivery (the libraries allow 5 minutes).
- `X-Signature-256: sha256=<hex HMAC-SHA256 of the body>`, keyed with the
  secret string as it is, kept for subscribers that verify it already.
"""

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

from standardwebhooks.webhooks import EmptyWebhookSecretError, Webhook

HEADER = "X-Signature-256"
PREFIX = "whsec_"


def new_secret() -> str:
    """`whsec_` and the base64 of 32 random bytes: what Standard Webhooks libraries take."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, body: bytes) -> str:
    """The X-Signature-256 header value: `sha256=<hex digest>`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """What a subscriber does: recompute and compare in constant time."""
    return header is not None and hmac.compare_digest(sign(secret, body), header)


def standard_headers(secret: str, msg_id: str, at: datetime, body: bytes) -> dict[str, str]:
    """The Standard Webhooks headers for one delivery attempt.

    Empty for a secret the scheme cannot decode (one made before secrets were
    base64): such subscribers keep X-Signature-256 only."""
    try:
        signer = Webhook(secret)
    except (ValueError, EmptyWebhookSecretError):  # binascii.Error: not base64
        return {}
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signer.sign(msg_id, at, body.decode()),
    }
