"""Importing a 903 return: keep it, merge all the LA's returns, revise each child.

The service keeps every return an LA imported (the same year again replaces
it). Each import merges them all with the new one (merge.py: the later
return's version of an episode wins, whatever order the files came in),
converts the merged history to journey events, and compares them, child by
child, with what earlier imports stored (revise.py): unchanged events are
duplicates, new ones are added, stored ones no longer derived are retracted
(`journey.event.retracted.v1`). A child's retractions and additions are one
batch through the ingest pipeline, which replays that child's whole history
through the journey rules: a child the service refuses keeps its previous
history and is reported, without blocking the other children.
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from services.referrals.adapters import returns_store
from services.referrals.domain.ssda903 import PostcodeDirectory, import_returns
from services.referrals.domain.ssda903.episodes_to_events import ImportReport
from services.referrals.domain.ssda903.merge import year_of
from services.referrals.domain.ssda903.postcodes import normalise_postcode
from services.referrals.domain.ssda903.revise import ChildRevision, revise
from services.referrals.domain.ssda903.rows import EpisodeRow, parse_episodes
from services.referrals.service_layer.journey_pipeline import journey_pipeline
from shared.events.journey import JourneyEvent, RetractionReason
from shared.ingest.batch import MAX_BATCH, Pipeline, Rejected, Result, ingest

Progress = Callable[[int, int], None]


@dataclass
class ImportOutcome:
    report: ImportReport  # the rows of the return given
    year: int | None = None  # as given, or as read from the file's dates
    accepted: int = 0
    duplicates: int = 0
    corrected: int = 0  # events retracted because a corrected version replaced them
    withdrawn: int = 0  # events retracted because the returns no longer give them
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # child, reason, message

    @property
    def retracted(self) -> int:
        return self.corrected + self.withdrawn


def directory_from(text: str | None, only: set[str] | None = None) -> PostcodeDirectory | None:
    return (
        None
        if text is None
        else PostcodeDirectory.from_rows(csv.DictReader(io.StringIO(text)), only=only)
    )


def source_of(la: str) -> str:
    return f"/la/{la}/ssda903-import"


def import_903(
    engine: Engine,
    la: str,
    header: str,
    episodes: str,
    year: int | None,
    postcodes: PostcodeDirectory | None,
    progress: Progress,
) -> ImportOutcome:
    rows = parse_episodes(episodes, year=year).rows
    year = year if year is not None else year_of(rows)
    if year is None:  # no episode: nothing to keep or merge
        result = import_returns([(None, header, episodes)], la=la, source=source_of(la))
        progress(0, 0)
        return ImportOutcome(result.report)
    returns_store.keep_return(engine, la, (year, header, episodes), _used(postcodes, rows))
    held = returns_store.held_returns(engine, la)
    merged = import_returns(
        held,
        la=la,
        source=source_of(la),
        postcodes=returns_store.known_postcodes(engine, la),
    )
    outcome = ImportOutcome(merged.report.for_year(year), year)
    stored = returns_store.events_of_source(engine, la, source_of(la))
    children = revise(merged.events, stored, now=datetime.now(UTC))
    pipeline = journey_pipeline(timedelta(minutes=5), revise_all=True)
    done = 0
    for chunk in _chunks(children):
        _ingest_chunk(engine, la, chunk, pipeline, outcome)
        done += len(chunk)
        progress(done, len(children))
    if not children:
        progress(0, 0)
    return outcome


def _used(directory: PostcodeDirectory | None, rows: list[EpisodeRow]) -> PostcodeDirectory | None:
    """The directory's entries for the postcodes this return names (a full ONSPD is huge)."""
    if directory is None:
        return None
    named = {
        p for r in rows for p in map(normalise_postcode, (r.home_post, r.pl_post)) if p is not None
    }
    return PostcodeDirectory({p: directory.entries[p] for p in named if p in directory.entries})


def _chunks(children: list[ChildRevision]) -> Iterator[list[ChildRevision]]:
    chunk: list[ChildRevision] = []
    size = 0
    for child in children:
        n = len(child.events)
        if chunk and size + n > MAX_BATCH:
            yield chunk
            chunk, size = [], 0
        chunk.append(child)
        size += n
    if chunk:
        yield chunk


def _ingest_chunk(
    engine: Engine,
    la: str,
    chunk: list[ChildRevision],
    pipeline: Pipeline[JourneyEvent],
    outcome: ImportOutcome,
) -> None:
    changed = [c for c in chunk if c.changed]
    for c in chunk:
        outcome.duplicates += c.unchanged
    if not changed:
        return
    try:
        results = ingest(engine, [_raw(e) for c in changed for e in c.events], la, pipeline)
        for c in changed:
            _count(outcome, c, results)
    except Rejected:
        for c in changed:  # find the children the service refuses; keep the rest
            try:
                _count(outcome, c, ingest(engine, [_raw(e) for e in c.events], la, pipeline))
            except Rejected as exc:
                first = exc.errors[0]
                outcome.refused.append((c.child_id, first.reason, first.message))


def _raw(event: JourneyEvent) -> dict[str, object]:
    raw: dict[str, object] = event.model_dump(mode="json")
    return raw


def _count(outcome: ImportOutcome, child: ChildRevision, results: list[Result]) -> None:
    statuses = {r.id: r.status for r in results}
    for e in child.additions:
        if statuses.get(str(e.id)) == "accepted":
            outcome.accepted += 1
        else:
            outcome.duplicates += 1
    for r in child.retractions:
        if statuses.get(str(r.id)) != "accepted":
            continue
        if r.data.reason is RetractionReason.CORRECTED:
            outcome.corrected += 1
        else:
            outcome.withdrawn += 1


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
