import pytest

from shared.auth.keys import (
    DEFAULT_SCOPES,
    REGION_READER_SCOPES,
    WRITE_SCOPES,
    Scope,
    digest,
    generate,
    grant,
    matches,
    split,
)


def test_a_key_is_checked_by_its_hash_only():
    key = generate()
    parts = split(key.plaintext)
    assert parts is not None
    key_id, secret = parts
    assert key_id == key.key_id
    assert key.secret_sha256 == digest(secret) and secret not in key.secret_sha256
    assert matches(secret, key.secret_sha256)
    assert not matches(secret + "x", key.secret_sha256)


def test_malformed_keys_are_refused():
    assert split("nonsense") is None
    assert split("psk__abc") is None


def test_a_new_key_gets_the_least_scopes_unless_more_are_asked_for():
    assert grant("E06000015", None, frozenset()) == DEFAULT_SCOPES == {Scope.INDICATORS_READ}
    asked = frozenset({Scope.JOURNEY_WRITE, Scope.JOURNEY_READ})
    assert grant("E06000015", None, asked) == asked
    assert grant(None, "D2N2", frozenset()) == DEFAULT_SCOPES


def test_a_region_reader_holds_read_scopes_of_published_figures_only():
    assert grant(None, "D2N2", REGION_READER_SCOPES) == REGION_READER_SCOPES
    for scope in (*WRITE_SCOPES, Scope.JOURNEY_READ, Scope.SUPPLY_READ):
        with pytest.raises(ValueError, match="region reader may hold only"):
            grant(None, "D2N2", frozenset({Scope.INDICATORS_READ, scope}))
    with pytest.raises(ValueError, match="give an LA code"):
        grant(None, None, frozenset())
