from shared.auth.keys import digest, generate, matches, split


def test_a_key_is_checked_by_its_hash_only():
    key = generate()
    key_id, secret = split(key.plaintext)
    assert key_id == key.key_id
    assert key.secret_sha256 == digest(secret) and secret not in key.secret_sha256
    assert matches(secret, key.secret_sha256)
    assert not matches(secret + "x", key.secret_sha256)


def test_malformed_keys_are_refused():
    assert split("nonsense") is None
    assert split("psk__abc") is None
