"""The consumer logs each message's own text instead of serialising its event
again. For the messages the services publish that text is byte for byte what
was logged before; for any other message the log holds different text, and
the one reader of it (read_all, folding the projection) gets the same event."""

import json
from datetime import date

import pytest
from aiokafka import ConsumerRecord
from prometheus_client import CollectorRegistry
from pydantic import ValidationError
from sqlmodel import Session, col, select

from bench.workload import journeys
from services.metrics.adapters import event_log
from services.metrics.adapters.tables import MetricsEvent
from services.metrics.entrypoints.app import MIGRATIONS
from shared.db import make_engine
from shared.events.registry import parse_event
from shared.kafka.consumer import ConsumerMetrics, Decoded, EventConsumer, WithMessage
from shared.migrations import upgrade
from tests.unit.metrics import builders as b

CONSUMER = "metrics.projection"


def _record(value: bytes, offset: int = 0) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord("journey.v1", 0, offset, 0, 0, b"", value, None, 0, len(value), [])


def _published() -> list[bytes]:
    """Messages as the services publish them (the outbox holds model_dump_json)."""
    events = [
        *journeys(1, 40, 2, date(2026, 3, 31)),
        b.home("H1", "2024-01-01", location=b.NEAR, urn="SC1"),
        b.home_updated("H1", "2024-02-01", registered_places=5),
        b.vacancy("V1", "H1", "2024-03-01"),
        b.vacancy_filled("V1", "2024-03-02", "P1"),
        b.home_deregistered("H1", "2024-04-01"),
        b.referral("R1", "C1", "2024-03-01"),
    ]
    return [e.model_dump_json().encode() for e in events]


def _unusual() -> bytes:
    """An event not as publishers write it: keys in another order, spaces, an
    upper-case id, an offset time, an extra envelope attribute (kept) and an
    extra data field (ignored)."""
    raw = json.loads(b.admitted("C9", "2024-05-01").model_dump_json())
    raw["id"] = raw["id"].upper()
    raw["time"] = "2024-05-01T11:00:00+01:00"
    raw["traceparent"] = "00-abc-01"
    raw["data"]["not_a_field"] = [1, 2]
    return json.dumps(dict(reversed(raw.items())), indent=1).encode()


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'metrics.db'}", "metrics")
    upgrade(engine, MIGRATIONS)
    return engine


def _consume(engine, values: list[bytes]) -> None:
    consumer = EventConsumer(
        CONSUMER,
        ["journey.v1"],
        WithMessage(event_log.append_message),
        engine,
        "localhost:1",
        None,
        ConsumerMetrics(CollectorRegistry()),
    )
    decoded = [Decoded(_record(v, i), parse_event(v)) for i, v in enumerate(values)]
    consumer._apply_in_one_transaction(decoded)


def _logged(engine) -> list[tuple[str, str, str, str, str]]:
    with Session(engine) as s:
        rows = s.exec(select(MetricsEvent).order_by(col(MetricsEvent.seq))).all()
        return [(r.source, r.event_id, r.la, r.type, r.body) for r in rows]


def test_a_published_message_is_logged_as_the_text_logged_before(engine):
    values = _published()
    _consume(engine, values)
    before = [parse_event(v) for v in values]
    expected = [(e.source, str(e.id), e.la, e.type, e.model_dump_json()) for e in before]
    assert _logged(engine) == expected
    assert len({e.type for e in before}) >= 8


def test_another_message_is_logged_as_it_came_and_read_back_as_the_same_event(engine):
    value = _unusual()
    event = parse_event(value)
    _consume(engine, [value])
    [(_, event_id, _, _, body)] = _logged(engine)
    assert body == value.decode() != event.model_dump_json()
    assert event_id == str(event.id)  # the inbox's and the log's key, lower case as before
    [read] = list(event_log.read_all(engine, CONSUMER))
    assert read == [event] == [parse_event(event.model_dump_json())]
    assert read[0].model_dump_json() == event.model_dump_json()


def test_an_event_applied_without_a_message_is_serialised():
    event = b.admitted("C1", "2024-05-01")
    assert Decoded(None, event).text == event.model_dump_json()


def test_a_message_that_is_not_utf8_never_reaches_the_log():
    """The text is the message decoded as UTF-8; the decoder refuses any other."""
    good = b.admitted("C1", "2024-05-01").model_dump_json()
    bad = good.replace('"subject":"C1"', '"subject":"C\xff1"').encode("latin-1")
    with pytest.raises(ValidationError):
        parse_event(bad)
