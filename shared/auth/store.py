"""The key registry: the one store every service reads (to check keys).

It is identity, not service state: the CLI writes it, services only read it.
SQLite file DATA_DIR/keys.db by default, or schema `auth` in PostgreSQL.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col, select

from shared.auth.keys import Principal, Scope, generate, matches, split
from shared.db import database_url, make_engine, one_at_a_time, transaction
from shared.store.tables import table_of


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    key_id: str = Field(primary_key=True, max_length=32)
    la: str | None = Field(default=None, max_length=12, index=True)
    region: str | None = Field(default=None, max_length=40)
    scopes: str = Field(description="space-separated scopes")
    secret_sha256: str = Field(max_length=64)
    label: str = ""
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    revoked_at: datetime | None = None


def keys_engine(configured: str | None, database: str | None, data_dir: Path) -> Engine:
    url = configured or database or database_url("keys", None, data_dir)
    engine = make_engine(url, schema="auth")
    with engine.begin() as conn:
        one_at_a_time(conn, "auth tables")
        SQLModel.metadata.create_all(conn, tables=[table_of(ApiKey)])
    return engine


def create_key(
    engine: Engine,
    la: str | None,
    scopes: frozenset[Scope],
    region: str | None = None,
    label: str = "",
) -> tuple[ApiKey, str]:
    new = generate()
    row = ApiKey(
        key_id=new.key_id,
        la=la,
        region=region,
        label=label,
        scopes=" ".join(sorted(scopes)),
        secret_sha256=new.secret_sha256,
    )
    with transaction(engine) as s:
        s.add(row)
    return row, new.plaintext


@dataclass(frozen=True, slots=True)
class KeyRow:
    """What checking a key needs of its row."""

    la: str | None
    region: str | None
    scopes: str
    secret_sha256: str
    revoked: bool


def key_row(engine: Engine, key_id: str) -> KeyRow | None:
    # Core SQL, not an ORM session: every request runs this, and the session's
    # set-up and identity map cost five times the query.
    with engine.connect() as conn:
        row = conn.execute(_LOOKUP, {"key_id": key_id}).first()
    if row is None:
        return None
    return KeyRow(row.la, row.region, row.scopes, row.secret_sha256, row.revoked_at is not None)


def principal_of(key_id: str, row: KeyRow | None, secret: str) -> Principal | None:
    if row is None or row.revoked or not matches(secret, row.secret_sha256):
        return None
    return Principal(key_id, row.la, row.region, frozenset(Scope(x) for x in row.scopes.split()))


def authenticate(engine: Engine, plaintext: str) -> Principal | None:
    parts = split(plaintext)
    if parts is None:
        return None
    key_id, secret = parts
    return principal_of(key_id, key_row(engine, key_id), secret)


_KEYS = table_of(ApiKey)
_LOOKUP = sa_select(
    _KEYS.c.la, _KEYS.c.region, _KEYS.c.scopes, _KEYS.c.secret_sha256, _KEYS.c.revoked_at
).where(_KEYS.c.key_id == bindparam("key_id"))


def list_keys(engine: Engine) -> list[ApiKey]:
    with Session(engine) as s:
        return list(s.exec(select(ApiKey).order_by(col(ApiKey.created_at))).all())


def revoke(engine: Engine, key_id: str) -> bool:
    with transaction(engine) as s:
        row = s.get(ApiKey, key_id)
        if row is None or row.revoked_at is not None:
            return False
        row.revoked_at = datetime.now(UTC)
        return True


def rotate(engine: Engine, key_id: str) -> tuple[ApiKey, str] | None:
    """A new secret for the key; the old secret stops working at once. The key id
    stays, and with it the LA, scopes and what the key owns (its webhook
    subscriptions, the audit trail of its reads)."""
    new = generate(key_id)
    with transaction(engine) as s:
        row = s.get(ApiKey, key_id)
        if row is None or row.revoked_at is not None:
            return None
        row.secret_sha256 = new.secret_sha256
    return row, new.plaintext


def ensure_demo_keys(engine: Engine, las: list[str], region: str, path: Path) -> dict[str, str]:
    """One all-scopes key per LA, made once and kept in `path` (LA code -> key)."""
    if path.exists():
        kept: dict[str, str] = json.loads(path.read_text())
        if all(authenticate(engine, kept.get(la, "")) for la in las):
            return kept
    keys = {la: create_key(engine, la, frozenset(Scope), region, "demo")[1] for la in las}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(keys, indent=2) + "\n")
    path.chmod(0o600)
    return keys
