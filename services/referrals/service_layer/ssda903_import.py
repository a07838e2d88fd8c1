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
from datetime import timedelta

from sqlalchemy import Engine

from services.referrals.domain.ssda903 import PostcodeDirectory, import_return
from services.referrals.domain.ssda903.episodes_to_events import ImportReport
from services.referrals.domain.ssda903.event_factory import ImportedEvent
from services.referrals.service_layer.journey_pipeline import journey_pipeline
from shared.events.journey import JourneyEvent
from shared.ingest.batch import MAX_BATCH, Pipeline, Rejected, Result, ingest

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
    children = _by_child(result.events)
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
    except Rejected:
        for events in chunk:  # find the children the service refuses; keep the rest
            try:
                _count(outcome, ingest(engine, [_raw(e) for e in events], la, pipeline))
            except Rejected as exc:
                first = exc.errors[0]
                outcome.refused.append((events[0].data.child_id, first.reason, first.message))


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
