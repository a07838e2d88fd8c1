"""The ingest pipeline shared by referrals and vacancies.

All of a batch or none of it: events are parsed, checked for the caller's LA,
deduplicated on id (same body -> duplicate; other body -> conflict), checked
against the service's rules in order (each event sees the effects of the ones
before it), and then stored with their effects and outbox rows in one
transaction. Any error rolls the whole batch back.
"""

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from shared.db import transaction
from shared.events.envelope import Envelope
from shared.ingest.errors import EventError, from_validation, pointer
from shared.store import buffer
from shared.store.outbox import enqueue, enqueue_raw
from shared.store.tables import IngestedEvent, table_of, utcnow

E = TypeVar("E", bound=Envelope)
MAX_BATCH = 1000
# What a broker with default settings takes in one message (message.max.bytes,
# the producer's max_request_size: 1 MiB), less room for the key and framing.
MAX_EVENT_BYTES = 1_000_000


@dataclass(frozen=True)
class Result:
    id: str
    status: Literal["accepted", "duplicate"]


class Rejected(Exception):
    def __init__(self, errors: list[EventError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


class Conflict(Exception):
    def __init__(self, event_ids: list[str]) -> None:
        super().__init__("event id reused with a different body")
        self.event_ids = event_ids


class WrongLa(Exception):
    def __init__(self, index: int, la: str) -> None:
        super().__init__(f"event {index} is for LA {la}")
        self.index, self.la = index, la


@dataclass(frozen=True)
class Pipeline(Generic[E]):
    parse: Callable[[dict[str, Any]], E]
    check: Callable[[Session, E], list[tuple[str, str, str]]]  # (pointer, reason, message)
    apply: Callable[[Session, E], Sequence[Envelope]]  # may emit follow-on events
    route: Callable[[Session, Envelope], tuple[str, str]]  # (topic, key)
    # Optional: load the state a batch will touch in a few queries (see referrals).
    prepare: Callable[[Session, list[E]], None] | None = None


def as_list(body: Any) -> list[Any]:
    items = body if isinstance(body, list) else [body]
    if not items:
        raise Rejected([EventError(0, "", "empty_batch", "no events in the request")])
    if len(items) > MAX_BATCH:
        raise Rejected([EventError(0, "", "batch_too_large", f"at most {MAX_BATCH} events")])
    return items


# Built once: `json.dumps` with options builds an encoder per call, a fair part
# of hashing a small body.
_SORTED_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)


def body_hash(item: dict[str, Any]) -> str:
    return hashlib.sha256(_SORTED_JSON.encode(item).encode()).hexdigest()


def parse_all(items: list[Any], parse: Callable[[dict[str, Any]], E]) -> list[E]:
    events: list[E] = []
    errors: list[EventError] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            errors.append(EventError(i, "", "not_an_object", "each event is a JSON object"))
            continue
        try:
            events.append(parse(item))
        except ValidationError as exc:
            errors += from_validation(
                i, exc, item.get("type") if isinstance(item.get("type"), str) else None
            )
    if errors:
        raise Rejected(errors)
    return events


def ingest(
    engine: Engine,
    items: list[dict[str, Any]],
    caller_la: str | None,
    pipeline: Pipeline[E],
    max_event_bytes: int = MAX_EVENT_BYTES,
) -> list[Result]:
    return store(engine, items, parse_for(items, caller_la, pipeline), pipeline, max_event_bytes)


def parse_for(items: list[Any], caller_la: str | None, pipeline: Pipeline[E]) -> list[E]:
    """The events of a request, each for the caller's LA (nothing touches the store)."""
    events = parse_all(items, pipeline.parse)
    for i, event in enumerate(events):
        if caller_la != event.la:
            raise WrongLa(i, event.la)
    return events


def store(
    engine: Engine,
    items: list[dict[str, Any]],
    events: list[E],
    pipeline: Pipeline[E],
    max_event_bytes: int = MAX_EVENT_BYTES,
) -> list[Result]:
    """Parsed `events` (from `items`, one for one) checked and stored in one transaction."""
    hashes = [body_hash(item) for item in items]
    ids = [str(e.id) for e in events]  # once: str(UUID) is slow
    with transaction(engine) as session:
        statuses = _classify(session, ids, hashes)
        if pipeline.prepare is not None:
            pipeline.prepare(
                session, [e for e, s in zip(events, statuses, strict=True) if s == "accepted"]
            )
        errors: list[EventError] = []
        for i, (event, status) in enumerate(zip(events, statuses, strict=True)):
            if status == "duplicate":
                continue
            body = event.model_dump_json()
            problems = _too_large(body, max_event_bytes) or pipeline.check(session, event)
            errors += [EventError(i, p, r, m) for p, r, m in problems]
            if not problems:
                _store(session, event, ids[i], hashes[i], pipeline, body)
        if errors:
            raise Rejected(errors)  # leaves the transaction: nothing is stored
    return [Result(i, s) for i, s in zip(ids, statuses, strict=True)]


def _classify(
    session: Session, ids: list[str], hashes: list[str]
) -> list[Literal["accepted", "duplicate"]]:
    stmt = select(IngestedEvent.event_id, IngestedEvent.body_sha256).where(
        col(IngestedEvent.event_id).in_(ids)
    )
    known = dict(session.exec(stmt).all())
    statuses: list[Literal["accepted", "duplicate"]] = []
    conflicts = []
    for event_id, digest in zip(ids, hashes, strict=True):
        if event_id in known:
            if known[event_id] != digest:
                conflicts.append(event_id)
            statuses.append("duplicate")
        else:
            known[event_id] = digest
            statuses.append("accepted")
    if conflicts:
        raise Conflict(conflicts)
    return statuses


def _too_large(body: str, limit: int) -> list[tuple[str, str, str]]:
    """An event the broker would refuse would wedge the outbox: refuse it here."""
    size = len(body.encode())
    if size <= limit:
        return []
    return [("", "event_too_large", f"the event is {size} bytes; at most {limit} are accepted")]


def _store(
    session: Session, event: E, event_id: str, digest: str, pipeline: Pipeline[E], body: str
) -> None:
    topic, key = pipeline.route(session, event)
    buffer.add(
        session,
        table_of(IngestedEvent),
        {
            "event_id": event_id,
            "source": event.source,
            "type": event.type,
            "la": event.la,
            "subject": event.subject,
            "key": key,
            "time": event.time,
            "body_sha256": digest,
            "body": body,
            "received_at": utcnow(),
        },
    )
    follow_on = pipeline.apply(session, event)
    enqueue_raw(session, topic, key, body)
    for out in follow_on:
        enqueue(session, *pipeline.route(session, out), out)


__all__ = [
    "MAX_BATCH",
    "MAX_EVENT_BYTES",
    "Conflict",
    "EventError",
    "Pipeline",
    "Rejected",
    "Result",
    "WrongLa",
    "as_list",
    "ingest",
    "parse_for",
    "pointer",
    "store",
]
