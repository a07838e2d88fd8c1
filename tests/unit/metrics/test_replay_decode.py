"""The replay's record decoding: a fast strict reading, the envelope's model for the rest."""

import json
import uuid

import pytest

from services.metrics.service_layer.replay import read_logged
from tests.unit.shared.builders import admitted


def _value(**changes: object) -> bytes:
    return json.dumps(admitted("R1", "2024-05-01") | changes).encode()


def test_a_record_as_publishers_write_it_is_logged_as_published() -> None:
    value = _value()
    raw = json.loads(value)

    logged = read_logged(value)

    assert logged is not None
    assert (logged.source, logged.event_id, logged.la, logged.type) == (
        raw["source"],
        raw["id"],
        raw["la"],
        raw["type"],
    )
    assert logged.body == value.decode()


@pytest.mark.parametrize(
    "written",
    [
        lambda u: str(u).upper(),
        lambda u: u.hex,
        lambda u: "{" + str(u) + "}",
    ],
)
def test_an_id_in_another_form_the_envelope_accepts_is_logged_canonical(written) -> None:
    id_ = uuid.uuid4()

    logged = read_logged(_value(id=written(id_)))

    assert logged is not None
    assert logged.event_id == str(id_)


@pytest.mark.parametrize(
    "value",
    [
        None,
        b"",
        b"not json at all",
        b"\xff\xfe not utf-8",
        _value(type="child.teleported.v1"),
        _value(id="not-a-uuid"),
        _value(la="E0600001"),
        _value(la="E06000015\n"),
        _value(la="X06000015"),
        _value(source=7),
        json.dumps({k: v for k, v in admitted("R1").items() if k != "la"}).encode(),
        b"[1, 2, 3]",
    ],
)
def test_a_record_the_envelope_refuses_is_not_logged(value: bytes | None) -> None:
    assert read_logged(value) is None
