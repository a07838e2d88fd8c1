"""`sufficiency keys`: least scopes by default, region readers, rotation keeps the key id."""

import pytest
from typer.testing import CliRunner

from shared.auth.store import authenticate, keys_engine, list_keys
from sufficiency.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _keys_in_data_dir(monkeypatch):
    monkeypatch.delenv("KEYS_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)


def keys_cmd(tmp_path, *args):
    result = runner.invoke(app, ["keys", *args, "--data-dir", str(tmp_path)])
    return result, result.output.strip().splitlines()


def test_create_grants_the_least_scopes_and_says_which(tmp_path):
    result, lines = keys_cmd(tmp_path, "create", "E06000015")
    assert result.exit_code == 0, result.output
    assert "granted scopes: indicators:read" in " ".join(lines) and "default" in result.output
    principal = authenticate(keys_engine(None, None, tmp_path), lines[-1])
    assert principal is not None and principal.la == "E06000015"
    assert principal.scopes == {"indicators:read"}


def test_a_region_reader_is_created_with_region_and_no_la(tmp_path):
    result, lines = keys_cmd(
        tmp_path, "create", "--region", "D2N2", "--scope", "indicators:read", "--scope", "feed:read"
    )
    assert result.exit_code == 0, result.output
    principal = authenticate(keys_engine(None, None, tmp_path), lines[-1])
    assert principal is not None and principal.region_reader and principal.region == "D2N2"
    assert principal.scopes == {"indicators:read", "feed:read"}
    refused, _ = keys_cmd(tmp_path, "create", "--region", "D2N2", "--scope", "reference:write")
    assert refused.exit_code != 0 and "region reader may hold only" in refused.output
    unknown, _ = keys_cmd(tmp_path, "create", "--region", "NOWHERE")
    assert unknown.exit_code != 0
    assert len(list_keys(keys_engine(None, None, tmp_path))) == 1  # the refused made nothing


def test_rotate_keeps_the_key_id_and_stops_the_old_secret(tmp_path):
    _, lines = keys_cmd(tmp_path, "create", "E06000015")
    old = lines[-1]
    key_id = old.split("_")[1]
    result, lines = keys_cmd(tmp_path, "rotate", key_id)
    assert result.exit_code == 0, result.output
    engine = keys_engine(None, None, tmp_path)
    assert authenticate(engine, old) is None
    rotated = authenticate(engine, lines[-1])
    assert rotated is not None and rotated.key_id == key_id
