"""API key format and hashing (pure).

A key is `psk_<key_id>_<secret>`. Only the SHA-256 of the secret is stored:
secrets are 32 random bytes, so a fast hash is enough (no dictionary to guess
from), and checking stays cheap on the ingest path.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    JOURNEY_WRITE = "journey:write"
    JOURNEY_READ = "journey:read"
    SUPPLY_WRITE = "supply:write"
    SUPPLY_READ = "supply:read"
    FEED_READ = "feed:read"
    INDICATORS_READ = "indicators:read"
    FORECAST_READ = "forecast:read"
    FORECAST_WRITE = "forecast:write"
    REFERENCE_WRITE = "reference:write"


ALL_SCOPES = frozenset(Scope)
WRITE_SCOPES = frozenset(
    {Scope.JOURNEY_WRITE, Scope.SUPPLY_WRITE, Scope.FORECAST_WRITE, Scope.REFERENCE_WRITE}
)
# A region reader reads aggregates and published figures: nothing child-level, no writes.
REGION_READER_SCOPES = frozenset({Scope.INDICATORS_READ, Scope.FORECAST_READ, Scope.FEED_READ})
# What `keys create` grants when no scope is named: the least, read-only.
DEFAULT_SCOPES = frozenset({Scope.INDICATORS_READ})


@dataclass(frozen=True)
class Principal:
    """Who is calling: one LA (or a region reader) with scopes."""

    key_id: str
    la: str | None
    region: str | None
    scopes: frozenset[Scope]

    def can(self, scope: Scope) -> bool:
        return scope in self.scopes

    @property
    def region_reader(self) -> bool:
        """A key of a region and no LA: reads that region's published figures only."""
        return self.la is None and self.region is not None


@dataclass(frozen=True)
class NewKey:
    key_id: str
    plaintext: str
    secret_sha256: str


def generate(key_id: str | None = None) -> NewKey:
    """A new key, or a new secret for an existing key id (rotation)."""
    key_id = key_id or secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return NewKey(key_id, f"psk_{key_id}_{secret}", digest(secret))


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split(plaintext: str) -> tuple[str, str] | None:
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != "psk" or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def matches(secret: str, stored_sha256: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_sha256)


def grant(la: str | None, region: str | None, asked: frozenset[Scope]) -> frozenset[Scope]:
    """The scopes a new key gets: those asked for, else the least (DEFAULT_SCOPES).

    A key has an LA, or is a region reader (a region and no LA), which may hold
    read scopes of published figures only. ValueError says what is wrong."""
    if la is None and region is None:
        raise ValueError("give an LA code, or --region for a region reader")
    scopes = asked or DEFAULT_SCOPES
    if la is None and not scopes <= REGION_READER_SCOPES:
        extra = " ".join(sorted(scopes - REGION_READER_SCOPES))
        allowed = " ".join(sorted(REGION_READER_SCOPES))
        raise ValueError(f"a region reader may hold only {allowed}, not {extra}")
    return scopes
