"""Importing a 903 return: convert, then ingest child by child through the same rules.

Each child's events go through the ingest pipeline like posted events, so a
re-import is all duplicates, and a child whose history conflicts with what the
service already holds is refused with the service's reason without blocking
the other children.
"""

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from services.referrals.domain.ssda903 import PostcodeDirectory, import_return
from services.referrals.domain.ssda903.episodes_to_events import ImportReport
from services.referrals.domain.ssda903.event_factory import CONTINUES_PERIOD, ImportedEvent
from services.referrals.service_layer.journey_pipeline import journey_pipeline
from shared.events.journey import ChildAdmitted, JourneyEvent
from shared.ingest.batch import MAX_BATCH, Conflict, Pipeline, Rejected, Result, ingest
from shared.store.tables import IngestedEvent

Progress = Callable[[int, int], None]


@dataclass
class ImportOutcome:
    report: ImportReport
    accepted: int = 0
    duplicates: int = 0
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # child, reason, message


def directory_from(text: str | None, only: set[str] | None = None) -> PostcodeDirectory | None:
    return (
        None
        if text is None
        else PostcodeDirectory.from_rows(csv.DictReader(io.StringIO(text)), only=only)
    )


def import_903(
    engine: Engine,
    la: str,
    header: str,
    episodes: str,
    year: int | None,
    postcodes: PostcodeDirectory | None,
    progress: Progress,
) -> ImportOutcome:
    result = import_return(
        header, episodes, la=la, source=f"/la/{la}/ssda903-import", year=year, postcodes=postcodes
    )
    outcome = ImportOutcome(result.report)
    pipeline = journey_pipeline(timedelta(minutes=5))
    children = _without_continuing_marks(engine, la, _by_child(result.events))
    done = 0
    for chunk in _chunks(children):
        _ingest_chunk(engine, la, chunk, pipeline, outcome)
        done += len(chunk)
        progress(done, len(children))
    return outcome


def _by_child(events: list[ImportedEvent]) -> list[list[ImportedEvent]]:
    grouped: dict[str, list[ImportedEvent]] = {}
    for event in events:
        grouped.setdefault(event.data.child_id, []).append(event)
    return list(grouped.values())


def _without_continuing_marks(
    engine: Engine, la: str, children: list[list[ImportedEvent]]
) -> list[list[ImportedEvent]]:
    """Reconcile `continuesperiod` marks with what earlier imports stored.

    A return's first episode for a child looks like the continuation of an
    earlier period. If an earlier return already brought that history in, the
    stand-in admission is dropped and the mark removed, so overlapping
    episodes arrive as duplicates; an event already stored keeps its form.
    """
    marked = [e for events in children for e in events if _marked(e)]
    stored = _stored_marks(engine, [str(e.id) for e in marked])
    earliest = _earliest(engine, la, list({e.data.child_id for e in marked}))
    out = []
    for events in children:
        kept: list[ImportedEvent] = []
        for e in events:
            if not _marked(e) or stored.get(str(e.id)) is True:
                kept.append(e)
            elif str(e.id) in stored:
                kept.append(_unmarked(e))  # stored unmarked: now a duplicate
            elif earliest.get(e.data.child_id, e.time) >= e.time:
                kept.append(e)  # nothing earlier is known: the mark stands
            elif not isinstance(e, ChildAdmitted):
                # Known gap: an RNE L first episode's stand-in placement stays,
                # so that child's export shows a move (see the README).
                kept.append(_unmarked(e))
        out.append(kept)
    return out


def _marked(event: ImportedEvent) -> bool:
    return bool((event.model_extra or {}).get(CONTINUES_PERIOD))


def _unmarked(event: ImportedEvent) -> ImportedEvent:
    raw = json.loads(event.model_dump_json())
    raw.pop(CONTINUES_PERIOD, None)
    return type(event).model_validate(raw)


def _stored_marks(engine: Engine, ids: list[str]) -> dict[str, bool]:
    """Event id -> whether its stored version carries the mark."""
    out: dict[str, bool] = {}
    with Session(engine) as s:
        for i in range(0, len(ids), 500):
            stmt = select(IngestedEvent.event_id, IngestedEvent.body).where(
                col(IngestedEvent.event_id).in_(ids[i : i + 500])
            )
            out |= {eid: CONTINUES_PERIOD in json.loads(body) for eid, body in s.exec(stmt)}
    return out


def _earliest(engine: Engine, la: str, child_ids: list[str]) -> dict[str, datetime]:
    """When each child's stored history begins (children with none are absent)."""
    out: dict[str, datetime] = {}
    with Session(engine) as s:
        for i in range(0, len(child_ids), 500):
            stmt = (
                select(IngestedEvent.key, func.min(IngestedEvent.time))
                .where(
                    col(IngestedEvent.la) == la, col(IngestedEvent.key).in_(child_ids[i : i + 500])
                )
                .group_by(col(IngestedEvent.key))
            )
            out |= {k: _aware(t) for k, t in s.exec(stmt) if t is not None}
    return out


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)  # SQLite returns naive UTC


def _chunks(children: list[list[ImportedEvent]]) -> Iterator[list[list[ImportedEvent]]]:
    chunk: list[list[ImportedEvent]] = []
    size = 0
    for events in children:
        if chunk and size + len(events) > MAX_BATCH:
            yield chunk
            chunk, size = [], 0
        chunk.append(events)
        size += len(events)
    if chunk:
        yield chunk


def _ingest_chunk(
    engine: Engine,
    la: str,
    chunk: list[list[ImportedEvent]],
    pipeline: Pipeline[JourneyEvent],
    outcome: ImportOutcome,
) -> None:
    try:
        _count(outcome, ingest(engine, [_raw(e) for events in chunk for e in events], la, pipeline))
    except (Rejected, Conflict):
        for events in chunk:  # find the children the service refuses; keep the rest
            try:
                _count(outcome, ingest(engine, [_raw(e) for e in events], la, pipeline))
            except Rejected as exc:
                first = exc.errors[0]
                outcome.refused.append((events[0].data.child_id, first.reason, first.message))
            except Conflict:
                # A later return changed an episode already imported; events are
                # never edited in place, so the correction is refused and reported.
                outcome.refused.append(
                    (
                        events[0].data.child_id,
                        "changed_since_imported",
                        "an episode differs from the version imported before",
                    )
                )


def _raw(event: ImportedEvent) -> dict[str, object]:
    raw: dict[str, object] = json.loads(event.model_dump_json())
    return raw


def _count(outcome: ImportOutcome, results: list[Result]) -> None:
    for r in results:
        if r.status == "accepted":
            outcome.accepted += 1
        else:
            outcome.duplicates += 1


def reject_report_csv(outcome: ImportOutcome) -> str:
    """One line per rejected row (file, line, child, column, reason, message)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["file", "year", "line", "child", "column", "reason", "message"])
    for e in outcome.report.rejected:
        writer.writerow(
            [e.file, e.year or "", e.row, e.child or "", e.column or "", e.reason, e.message]
        )
    for child, reason, message in outcome.refused:
        writer.writerow(["service", "", "", child, "", reason, message])
    return buf.getvalue()
