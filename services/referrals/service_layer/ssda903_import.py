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
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

from sqlalchemy import Engine

from services.referrals.adapters import returns_store
from services.referrals.domain.ssda903 import PostcodeDirectory, import_returns
from services.referrals.domain.ssda903.child_history import LeftOpen
from services.referrals.domain.ssda903.episodes_to_events import (
    ImportReport,
    ReturnFiles,
    combined,
)
from services.referrals.domain.ssda903.event_factory import ImportedEvent
from services.referrals.domain.ssda903.files import FileRefused, check_csv, check_la, check_year
from services.referrals.domain.ssda903.merge import year_of
from services.referrals.domain.ssda903.postcodes import normalise_postcode
from services.referrals.domain.ssda903.revise import ChildRevision, revise
from services.referrals.domain.ssda903.rows import (
    EPISODE_COLUMNS,
    HEADER_COLUMNS,
    REQUIRED_EPISODE_COLUMNS,
    UASC_COLUMNS,
    EpisodeRow,
    Part,
    format_date,
    parse_episodes,
)
from services.referrals.service_layer.journey_pipeline import journey_pipeline
from services.referrals.service_layer.ssda903_bulk import revise_in_bulk
from shared.db import across_processes
from shared.events.journey import JourneyEvent, RetractionReason
from shared.ingest.batch import MAX_BATCH, Pipeline, Rejected, ingest

Progress = Callable[[int, int], None]
SKEW = timedelta(minutes=5)  # the journey rules' allowance for clocks ahead
# Children's events revised at a time: their stored events, and the new
# children's rows written in bulk, are one query and one transaction per flush.
FLUSH_EVENTS = 10_000
# Episode rows (of all the returns an LA holds) read and merged at once: the
# children are read in parts above it, so the memory an import takes stays
# bounded however many large years the LA holds.
PART_ROWS = 120_000


@dataclass
class ImportOutcome:
    report: ImportReport  # the rows of the return given
    year: int | None = None  # as given, or as read from the file's dates
    accepted: int = 0
    duplicates: int = 0
    corrected: int = 0  # events retracted because a corrected version replaced them
    withdrawn: int = 0  # events retracted because the returns no longer give them
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # child, reason, message
    encodings: dict[str, str] = field(default_factory=dict)  # file -> encoding, when decoded

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


def check_return(
    la: str, header: str, episodes: str, year: int | None, uasc: str | None = None
) -> None:
    """The file-level checks (files.py): FileRefused before anything is read or stored."""
    check_la(la)
    if year is not None:
        check_year(year)
    check_csv(header, "header", HEADER_COLUMNS)
    check_csv(episodes, "episodes", REQUIRED_EPISODE_COLUMNS)
    if uasc is not None:  # an LA may have no UASC: column names alone are a valid file
        check_csv(uasc, "uasc", UASC_COLUMNS, rows_needed=False)


def import_903(
    engine: Engine,
    la: str,
    header: str,
    episodes: str,
    year: int | None,
    postcodes: PostcodeDirectory | None,
    progress: Progress,
    *,
    uasc: str | None = None,
    bulk: bool = True,
) -> ImportOutcome:
    """Check the files, merge them with the LA's other returns, store, then revise.

    Raises FileRefused, having changed nothing, for a file-level problem.
    Nothing is stored until the merge has worked; the return and its
    postcodes are then stored in one transaction, and each chunk of children
    is revised in its own (a refused child keeps its earlier history).
    `bulk`: children nothing is stored about are checked in memory and
    written in bulk (ssda903_bulk.py); False sends every child through the
    ingest pipeline (the two must store the same rows).
    """
    check_return(la, header, episodes, year, uasc)
    first = _FirstRead(episodes, year, postcodes)
    year = year if year is not None else first.year
    if year is None:
        msg = "no episode row is valid and no year was given: nothing dates the return"
        raise FileRefused("episodes", "no_valid_rows", msg)
    check_year(year)
    with _la_lock(la), across_processes(engine, f"ssda903 import {la}"):
        return _import(engine, la, (header, episodes, uasc), year, first, progress, bulk)


def _import(
    engine: Engine,
    la: str,
    files: tuple[str, str, str | None],
    year: int,
    first: "_FirstRead",
    progress: Progress,
    bulk: bool,
) -> ImportOutcome:
    header, episodes, uasc = files
    held = {r.year: r for r in returns_store.held_returns(engine, la)}
    previous = held.get(year)
    if uasc is None and previous is not None:  # a return given again without it keeps it
        uasc = previous.uasc if isinstance(previous.uasc, str) else None
    carried = None if previous is None else _carry(previous, first.refused)
    new = ReturnFiles(year, header, episodes, uasc, carried)
    held[year] = new
    used = first.used if first.postcodes is not None else None
    entries = {
        **returns_store.known_postcodes(engine, la).entries,
        **(used.entries if used else {}),
    }
    stored = returns_store.children_of_source(engine, la, source_of(la))
    revising = _Revising(engine, la, progress, stored, bulk=bulk)
    reports = []
    for part in parts(held.values()):
        result = import_returns(
            held.values(),
            la=la,
            source=source_of(la),
            postcodes=PostcodeDirectory(entries) if entries else None,  # none: distance not known
            sink=revising.take,
            part=part,
        )
        reports.append(result.report)
        revising.part_read()
    merged = combined(reports)
    revising.finish()
    revising.outcome.report, revising.outcome.year = merged.for_year(year), year
    returns_store.keep_return(engine, la, new, used, left_open_csv(merged.left_open))
    return revising.outcome


def parts(returns: Iterable[ReturnFiles]) -> list[Part | None]:
    """The parts the LA's children are read in: one while the returns held are small,
    else enough that a part's rows of every return stay about PART_ROWS."""
    rows = sum(r.episodes.count("\n") for r in returns if isinstance(r.episodes, str))
    count = -(-rows // PART_ROWS)
    return [None] if count <= 1 else [Part(i, count) for i in range(count)]


class _Revising:
    """Takes each child's derived events as the conversion goes, and revises the
    store a batch of children at a time: only one batch of events, and the
    stored events of its children, are in memory at once."""

    def __init__(
        self, engine: Engine, la: str, progress: Progress, stored: set[str], *, bulk: bool
    ) -> None:
        self.engine, self.la, self.progress, self.bulk = engine, la, progress, bulk
        self.stored_children = stored  # children the import stored events about
        self.outcome = ImportOutcome(ImportReport(0, 0, 0, 0, 0, (), ()))
        self.pipeline = journey_pipeline(SKEW, revise_all=True)
        self.now = datetime.now(UTC)
        self.pending: dict[str, list[ImportedEvent]] = {}
        self.size, self.done, self.total = 0, 0, 0
        self.earlier_parts = 0  # children of the parts read before
        self.part_children: int | None = None

    def part_read(self) -> None:
        self.earlier_parts += self.part_children or 0
        self.part_children = None

    def take(self, child: str, events: list[ImportedEvent], children: int) -> None:
        if self.part_children is None:  # the first child of a part
            self.part_children = children
            self.total = self.earlier_parts + children + len(self.stored_children)  # at most
            self.progress(self.done, self.total)
        self.pending[child] = events
        self.size += len(events) + 1
        if self.size >= FLUSH_EVENTS:
            self._flush()

    def finish(self) -> None:
        """The rest, then the children no return gives any more (all withdrawn)."""
        self._flush()
        gone = sorted(self.stored_children)
        self.total = self.done + len(gone)
        for i in range(0, len(gone), 500):
            self.pending = {c: [] for c in gone[i : i + 500]}
            self._flush()
        self.progress(self.total, self.total)

    def _flush(self) -> None:
        if not self.pending:
            return
        children = list(self.pending)
        derived = [e for events in self.pending.values() for e in events]
        if self.bulk:
            bulk = revise_in_bulk(
                self.engine, self.la, source_of(self.la), derived, children,
                now=self.now, skew=SKEW,
            )  # fmt: skip
            _count_bulk(self.outcome, bulk.stored)
            revisions = bulk.rest
        else:
            stored = returns_store.events_of_children(
                self.engine, self.la, source_of(self.la), children
            )
            revisions = revise(derived, stored, now=self.now)
        for chunk in _chunks(revisions):
            _ingest_chunk(self.engine, self.la, chunk, self.pipeline, self.outcome)
        self.stored_children.difference_update(children)
        self.done += len(children)
        self.pending, self.size = {}, 0
        self.progress(self.done, max(self.total, self.done))


class _FirstRead:
    """What the import needs from its own read of the new file, without its rows
    (the merge reads them again: keeping both copies doubled the peak memory).
    Read only when needed: no year given, an earlier return of the year, or a
    postcode directory (a full parse of a large file is a fair part of the import)."""

    def __init__(
        self, episodes: str, year: int | None, postcodes: PostcodeDirectory | None
    ) -> None:
        self.episodes, self.given_year, self.postcodes = episodes, year, postcodes

    @cached_property
    def _read(
        self,
    ) -> tuple[int | None, frozenset[tuple[str, date]], PostcodeDirectory | None]:
        parsed = parse_episodes(self.episodes, year=self.given_year)
        given = {(r.child, r.decom) for r in parsed.rows}
        return (
            year_of(parsed.rows),
            parsed.rejected_keys - given,
            _used(self.postcodes, parsed.rows),
        )

    @property
    def year(self) -> int | None:
        """As the file's dates suggest."""
        return self._read[0]

    @property
    def refused(self) -> frozenset[tuple[str, date]]:
        """(CHILD, DECOM) rejected and not given validly."""
        return self._read[1]

    @property
    def used(self) -> PostcodeDirectory | None:
        """The directory's entries for the file's postcodes."""
        return self._read[2]


def _carry(previous: ReturnFiles | None, wanted: frozenset[tuple[str, date]]) -> str | None:
    """The earlier import's rows of this year for the rows this one rejected (CSV)."""
    if previous is None or not wanted:
        return None
    rows = [
        r
        for text in (previous.episodes, previous.carried)
        if text is not None
        for r in parse_episodes(text).rows
        if (r.child, r.decom) in wanted
    ]
    if not rows:
        return None
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=EPISODE_COLUMNS)
    writer.writeheader()
    writer.writerows(r.as_csv_dict() for r in {(r.child, r.decom): r for r in rows}.values())
    return buf.getvalue()


LEFT_OPEN_COLUMNS = ("CHILD", "IN_CARE_FROM", "REFUSED_FROM")


def left_open_csv(children: Iterable[LeftOpen]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(LEFT_OPEN_COLUMNS)
    writer.writerows((o.child, format_date(o.since), format_date(o.refused_from)) for o in children)
    return buf.getvalue()


_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _la_lock(la: str) -> threading.Lock:
    """Two imports of one LA in this process run one after the other: each merges
    every return the LA holds and compares with what the other stored (other
    replicas wait on the advisory lock of `across_processes`)."""
    with _locks_guard:
        return _locks.setdefault(la, threading.Lock())


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
    for c in chunk:
        outcome.duplicates += c.unchanged
    _ingest_children(engine, la, [c for c in chunk if c.changed], pipeline, outcome)


def _ingest_children(
    engine: Engine,
    la: str,
    children: list[ChildRevision],
    pipeline: Pipeline[JourneyEvent],
    outcome: ImportOutcome,
) -> None:
    """One batch; when the service refuses it, halves until the refused children are
    found (each alone), so one bad child costs a few batches, not one per child."""
    if not children:
        return
    try:
        results = ingest(engine, [_raw(e) for c in children for e in c.events], la, pipeline)
    except Rejected as exc:
        if len(children) == 1:
            first = exc.errors[0]
            outcome.refused.append((children[0].child_id, first.reason, first.message))
            return
        half = len(children) // 2
        _ingest_children(engine, la, children[:half], pipeline, outcome)
        _ingest_children(engine, la, children[half:], pipeline, outcome)
        return
    statuses = {r.id: r.status for r in results}
    for c in children:
        _count(outcome, c, statuses)


def _raw(event: JourneyEvent) -> dict[str, object]:
    raw: dict[str, object] = event.model_dump(mode="json")
    return raw


def _count_bulk(outcome: ImportOutcome, children: list[ChildRevision]) -> None:
    for c in children:
        outcome.accepted += len(c.additions)
        outcome.duplicates += c.unchanged
        for r in c.retractions:
            if r.data.reason is RetractionReason.CORRECTED:
                outcome.corrected += 1
            else:
                outcome.withdrawn += 1


def _count(outcome: ImportOutcome, child: ChildRevision, statuses: Mapping[str, str]) -> None:
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


REPORT_COLUMNS = ("kind", "file", "year", "line", "child", "column", "reason", "rule", "message")


def reject_report_csv(outcome: ImportOutcome) -> str:
    """One line per problem, errors first (row refused), then warnings (row kept,
    field ignored), then children left in care by refusals and the earlier
    versions kept in force for rejected rows."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(REPORT_COLUMNS)
    for row in report_rows(outcome):
        writer.writerow(row)
    return buf.getvalue()


def report_rows(outcome: ImportOutcome) -> Iterator[tuple[str, ...]]:
    r = outcome.report
    for kind, found in (("error", r.rejected), ("warning", r.warnings)):
        for e in found:
            yield (
                kind, e.file, str(e.year or ""), ";".join(map(str, e.lines)), e.child or "",
                e.column or "", e.reason + (" (after_refusal)" if e.after_refusal else ""),
                e.rule or "", e.message,
            )  # fmt: skip
    for child, reason, message in outcome.refused:
        yield ("error", "service", "", "", child, "", reason, "", message)
    for o in r.left_open:
        msg = (
            f"still in care from the episode of {format_date(o.since)}: the episode of "
            f"{format_date(o.refused_from)} after it was refused"
        )
        yield ("left_open", "episodes", str(outcome.year or ""), "", o.child, "", "left_open",
               "", msg)  # fmt: skip
    for kept in r.carried:
        msg = f"the earlier import's episode of {format_date(kept.decom)} stays in force"
        yield ("kept_earlier", "episodes", str(kept.year or ""), "", kept.child, "",
               "kept_earlier", "", msg)  # fmt: skip
