"""Requests' key check: a key's row is kept KEY_CACHE_SECONDS, the secret is
checked every time, and a revoked or rotated key stops within that long."""

import asyncio

from shared.auth.keys import Scope, generate
from shared.auth.lookup import KeyLookup
from shared.auth.store import ApiKey, create_key, keys_engine, revoke, rotate
from shared.db import transaction

READ = frozenset({Scope("indicators:read")})


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def check(lookup: KeyLookup, plaintext: str) -> str | None:
    principal = asyncio.run(lookup.authenticate(plaintext))
    return principal.la if principal else None


def test_a_revoked_key_works_until_its_row_expires_then_never(tmp_path):
    engine = keys_engine(None, None, tmp_path)
    row, plaintext = create_key(engine, "E06000015", READ)
    clock = Clock()
    lookup = KeyLookup(engine, 2.0, clock)
    assert check(lookup, plaintext) == "E06000015"
    assert revoke(engine, row.key_id)
    clock.now = 1.9
    assert check(lookup, plaintext) == "E06000015"  # the kept row
    clock.now = 2.1
    assert check(lookup, plaintext) is None
    clock.now = 10.0
    assert check(lookup, plaintext) is None


def test_without_a_cache_a_revocation_takes_effect_at_once(tmp_path):
    engine = keys_engine(None, None, tmp_path)
    row, plaintext = create_key(engine, "E06000015", READ)
    lookup = KeyLookup(engine, 0)
    assert check(lookup, plaintext) == "E06000015"
    revoke(engine, row.key_id)
    assert check(lookup, plaintext) is None


def test_the_secret_is_checked_against_a_kept_row_every_time(tmp_path):
    engine = keys_engine(None, None, tmp_path)
    _, plaintext = create_key(engine, "E06000015", READ)
    lookup = KeyLookup(engine, 60.0, Clock())
    assert check(lookup, plaintext) == "E06000015"
    assert check(lookup, plaintext[:-4] + "AAAA") is None
    assert check(lookup, "not-a-key") is None


def test_a_rotated_secret_replaces_the_old_one_once_the_row_expires(tmp_path):
    engine = keys_engine(None, None, tmp_path)
    row, old = create_key(engine, "E06000015", READ)
    clock = Clock()
    lookup = KeyLookup(engine, 2.0, clock)
    assert check(lookup, old) == "E06000015"
    rotated = rotate(engine, row.key_id)
    assert rotated is not None
    new = rotated[1]
    assert check(lookup, new) is None  # the kept row has the old digest
    clock.now = 3.0
    assert check(lookup, new) == "E06000015"
    assert check(lookup, old) is None


def test_an_unknown_key_id_is_not_kept(tmp_path):
    """So a key that did not exist at the first try works once it does."""
    engine = keys_engine(None, None, tmp_path)
    lookup = KeyLookup(engine, 60.0, Clock())
    new = generate()
    assert check(lookup, new.plaintext) is None
    with transaction(engine) as s:
        s.add(ApiKey(key_id=new.key_id, la="E06000015", scopes="indicators:read",
                     secret_sha256=new.secret_sha256))  # fmt: skip
    assert check(lookup, new.plaintext) == "E06000015"
