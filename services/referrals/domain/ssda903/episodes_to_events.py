"""SSDA903 import: returns in, journey events in time order and a report out.

`import_returns` parses each return's header and episodes files, merges the
years (merge.py: the later return's version of an episode wins, nothing is
counted twice, any order), and converts each child's history
(child_history.py). Every row read is imported, superseded by a later
return, or rejected with its reasons: episodes_read == episodes_imported +
episodes_superseded + episodes_rejected. The same input always gives the same
events with the same ids.
"""

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from services.referrals.domain.ssda903.child_history import ChildConverter, LeftOpen
from services.referrals.domain.ssda903.event_factory import EventFactory, ImportedEvent
from services.referrals.domain.ssda903.merge import History, ReturnRows, merge_returns
from services.referrals.domain.ssda903.postcodes import PostcodeDirectory
from services.referrals.domain.ssda903.rows import (
    EpisodeRow,
    HeaderRow,
    Parsed,
    Part,
    RowError,
    Rows,
    UascRow,
    parse_episodes,
    parse_header,
    parse_uasc,
)


@dataclass(frozen=True)
class ReturnFiles:
    """One return as held: its files' text (or rows), and the rows it carries.

    `carried`: episodes of an earlier import of the same year whose new row
    was rejected; each stays in force while the return's own row is rejected.
    """

    year: int | None
    header: Rows
    episodes: Rows
    uasc: Rows | None = None
    carried: Rows | None = None


@dataclass(frozen=True)
class ImportReport:
    episodes_read: int
    episodes_imported: int
    episodes_superseded: int
    header_read: int
    header_imported: int
    rejected: tuple[RowError, ...]  # errors: one entry per reason; a row may have several
    warnings: tuple[RowError, ...]  # rows kept with a field ignored (e.g. a bad postcode)
    read_by_year: tuple[tuple[int | None, int, int], ...] = ()  # (year, header, episodes)
    superseded_years: tuple[int | None, ...] = ()  # the return of each superseded row
    left_open: tuple[LeftOpen, ...] = ()
    carried: tuple[EpisodeRow, ...] = ()  # earlier versions kept for rejected rows
    uasc_read: int = 0
    uasc_imported: int = 0
    uasc_by_year: tuple[tuple[int | None, int, int], ...] = ()  # (year, read, imported)

    def for_year(self, year: int | None) -> "ImportReport":
        """The rows of one of the returns merged (the service merges all an LA holds)."""
        header_read = sum(h for y, h, _ in self.read_by_year if y == year)
        episodes_read = sum(n for y, _, n in self.read_by_year if y == year)
        rejected = tuple(e for e in self.rejected if e.year == year)
        superseded = self.superseded_years.count(year)
        bad_rows = {r for e in rejected if e.file == "episodes" for r in e.lines}
        bad_headers = {e.row for e in rejected if e.file == "header"}
        return replace(
            self,
            episodes_read=episodes_read,
            episodes_imported=episodes_read - superseded - len(bad_rows),
            episodes_superseded=superseded,
            header_read=header_read,
            header_imported=header_read - len(bad_headers),
            rejected=rejected,
            warnings=tuple(e for e in self.warnings if e.year == year),
            read_by_year=((year, header_read, episodes_read),),
            superseded_years=(year,) * superseded,
            carried=tuple(r for r in self.carried if r.year == year),
            uasc_read=sum(n for y, n, _ in self.uasc_by_year if y == year),
            uasc_imported=sum(k for y, _, k in self.uasc_by_year if y == year),
        )

    @property
    def episodes_rejected(self) -> int:
        return len({(e.year, r) for e in self.rejected if e.file == "episodes" for r in e.lines})

    @property
    def header_rejected(self) -> int:
        return len({(e.year, e.row) for e in self.rejected if e.file == "header"})

    @property
    def rejected_after_refusal(self) -> int:
        """Rows refused only because an earlier episode of the child was refused."""
        return len({(e.year, e.row) for e in self.rejected if e.after_refusal})

    @property
    def no_header_children(self) -> int:
        return sum(1 for e in self.rejected if e.reason == "no_header")

    @property
    def no_header_rows(self) -> int:
        return sum(len(e.lines) for e in self.rejected if e.reason == "no_header")


def combined(reports: Sequence[ImportReport]) -> ImportReport:
    """The report of returns read part by part (each part's rows counted in it alone)."""
    if len(reports) == 1:
        return reports[0]

    def by_year(
        counts: Iterable[tuple[int | None, int, int]],
    ) -> tuple[tuple[int | None, int, int], ...]:
        total: dict[int | None, tuple[int, int]] = {}
        for year, a, b in counts:
            before = total.get(year, (0, 0))
            total[year] = (before[0] + a, before[1] + b)
        return tuple((year, a, b) for year, (a, b) in total.items())

    return ImportReport(
        episodes_read=sum(r.episodes_read for r in reports),
        episodes_imported=sum(r.episodes_imported for r in reports),
        episodes_superseded=sum(r.episodes_superseded for r in reports),
        header_read=sum(r.header_read for r in reports),
        header_imported=sum(r.header_imported for r in reports),
        rejected=tuple(e for r in reports for e in r.rejected),
        warnings=tuple(e for r in reports for e in r.warnings),
        read_by_year=by_year(c for r in reports for c in r.read_by_year),
        superseded_years=tuple(y for r in reports for y in r.superseded_years),
        left_open=tuple(sorted((o for r in reports for o in r.left_open), key=lambda o: o.child)),
        carried=tuple(c for r in reports for c in r.carried),
        uasc_read=sum(r.uasc_read for r in reports),
        uasc_imported=sum(r.uasc_imported for r in reports),
        uasc_by_year=by_year(c for r in reports for c in r.uasc_by_year),
    )


@dataclass(frozen=True)
class ImportResult:
    events: list[ImportedEvent]
    report: ImportReport


ReturnGiven = ReturnFiles | tuple[int | None, Rows, Rows]
Sink = Callable[[str, list[ImportedEvent], int], None]
"""Takes each child's events as soon as they are derived: (child, events, children)."""


def import_returns(
    returns: Iterable[ReturnGiven],
    *,
    la: str,
    source: str,
    postcodes: PostcodeDirectory | None = None,
    uasc: Collection[str] = frozenset(),
    sink: Sink | None = None,
    part: Part | None = None,
) -> ImportResult:
    """Each return's files -> events + report (`uasc`: children UASC throughout).

    With `sink`, each child's events go to it as they are derived (in child
    order) and the result's `events` is empty. With `part`, only that part's
    children are read (every rule is per child): the reports of all the parts,
    `combined`, are the whole returns' report.
    """
    parsed: list[tuple[int | None, Sequence[HeaderRow], Sequence[EpisodeRow]]] = []
    errors: list[RowError] = []
    warnings: list[RowError] = []
    read: list[tuple[int | None, int, int]] = []
    rejected_keys: dict[int | None, frozenset[tuple[str, date]]] = {}
    carried: list[EpisodeRow] = []
    uasc_rows = {c: UascRow(c, 1, date.min) for c in uasc}
    uasc_by_year: list[tuple[int | None, int, int]] = []
    for ret in sorted(map(_files, returns), key=lambda r: -1 if r.year is None else r.year):
        header, episodes = (
            parse_header(ret.header, year=ret.year, part=part),
            parse_episodes(ret.episodes, year=ret.year, part=part),
        )
        kept = _carried(ret, episodes, part)
        parsed.append((ret.year, header.rows, [*episodes.rows, *kept]))
        carried += kept
        rejected_keys[ret.year] = episodes.rejected_keys
        errors += header.errors + episodes.errors
        warnings += episodes.warnings
        read.append((ret.year, header.read, episodes.read))
        if ret.uasc is not None:  # the latest year's row of a child wins
            given = parse_uasc(ret.uasc, year=ret.year, part=part)
            uasc_rows.update({u.child: u for u in given.rows})
            errors += given.errors
            uasc_by_year.append((ret.year, given.read, len(given.rows)))
    result = _convert(
        merge_returns(parsed, rejected_keys),
        la,
        source,
        postcodes,
        uasc_rows,
        read=read,
        errors=errors,
        warnings=warnings,
        refused_starts=[k for keys in rejected_keys.values() for k in keys],
        sink=sink,
    )
    report = replace(
        result.report,
        carried=tuple(carried),
        uasc_read=sum(n for _, n, _ in uasc_by_year),
        uasc_imported=sum(k for _, _, k in uasc_by_year),
        uasc_by_year=tuple(uasc_by_year),
    )
    return ImportResult(result.events, report)


def _files(ret: ReturnGiven) -> ReturnFiles:
    return ret if isinstance(ret, ReturnFiles) else ReturnFiles(*ret)


def _carried(ret: ReturnFiles, episodes: Parsed[EpisodeRow], part: Part | None) -> list[EpisodeRow]:
    """The earlier versions a return carries, for the rows of it still rejected."""
    if ret.carried is None:
        return []
    given = {(r.child, r.decom) for r in episodes.rows}
    return [
        r
        for r in parse_episodes(ret.carried, year=ret.year, part=part).rows
        if (r.child, r.decom) in episodes.rejected_keys and (r.child, r.decom) not in given
    ]


def import_return(
    header: Rows,
    episodes: Rows,
    *,
    la: str,
    source: str,
    year: int | None = None,
    postcodes: PostcodeDirectory | None = None,
    uasc: Collection[str] = frozenset(),
) -> ImportResult:
    return import_returns(
        [(year, header, episodes)], la=la, source=source, postcodes=postcodes, uasc=uasc
    )


def episodes_to_events(
    header: Sequence[HeaderRow],
    episodes: Sequence[EpisodeRow],
    *,
    la: str,
    source: str,
    postcodes: PostcodeDirectory | None = None,
    uasc: Collection[str] = frozenset(),
    year: int | None = None,
) -> ImportResult:
    """Already parsed rows of one return -> events + report."""
    return returns_to_events(
        [(year, header, episodes)], la=la, source=source, postcodes=postcodes, uasc=uasc
    )


def returns_to_events(
    returns: Iterable[ReturnRows],
    *,
    la: str,
    source: str,
    postcodes: PostcodeDirectory | None = None,
    uasc: Collection[str] = frozenset(),
) -> ImportResult:
    """Already parsed returns (collection year, header rows, episode rows) -> events + report."""
    returns = list(returns)
    read = [(r[0], len(r[1]), len(r[2])) for r in returns]
    uasc_rows = {c: UascRow(c, 1, date.min) for c in uasc}
    return _convert(
        merge_returns(returns), la, source, postcodes, uasc_rows, read=read, errors=[], warnings=[]
    )


def _convert(
    history: History,
    la: str,
    source: str,
    postcodes: PostcodeDirectory | None,
    uasc: Mapping[str, UascRow],
    *,
    read: list[tuple[int | None, int, int]],
    errors: list[RowError],
    warnings: list[RowError],
    refused_starts: Iterable[tuple[str, date]] = (),
    sink: Sink | None = None,
) -> ImportResult:
    factory = EventFactory(la, source)
    refused_at: dict[str, list[date]] = {}
    for child_id, decom in refused_starts:
        refused_at.setdefault(child_id, []).append(decom)
    rejected = errors + history.rejected
    refused_children = {e.child for e in rejected if e.file == "episodes" and e.child}
    events: list[ImportedEvent] = []
    left_open: list[LeftOpen] = []
    imported = 0

    def warn(row: EpisodeRow, column: str, reason: str, message: str) -> None:
        warnings.append(RowError(row.row, column, reason, message, row.child, "episodes", row.year))

    for child in sorted(history.episodes):
        rows = history.episodes[child]
        header = history.headers.get(child)
        if header is None:
            rejected += _no_header(child, rows)
            continue
        converter = ChildConverter(
            header, factory, postcodes, uasc.get(child), warn, child in refused_children
        )
        for row in rows:
            converter.add(row)
        converter.finish()
        if sink is None:
            events += converter.events
        else:  # handed over child by child: a large return is never all in memory
            in_order = sorted(converter.events, key=lambda e: e.data.date)  # stable: as below
            sink(child, in_order, len(history.episodes))
        rejected += converter.rejected
        imported += converter.imported
        if (still := converter.left_open(refused_at.get(child, ()))) is not None:
            left_open.append(still)
    events.sort(key=lambda e: (e.data.date, e.subject or ""))
    report = ImportReport(
        episodes_read=sum(n for _, _, n in read),
        episodes_imported=imported,
        episodes_superseded=len(history.superseded),
        header_read=sum(h for _, h, _ in read),
        header_imported=len(history.headers),
        rejected=tuple(rejected),
        warnings=tuple(warnings),
        read_by_year=tuple(read),
        superseded_years=tuple(r.year for r in history.superseded),
        left_open=tuple(left_open),
    )
    return ImportResult(events, report)


def _no_header(child: str, rows: Sequence[EpisodeRow]) -> list[RowError]:
    """One error per return for all of a child's rows (their line numbers kept)."""
    by_year: dict[int | None, list[EpisodeRow]] = {}
    for r in rows:
        by_year.setdefault(r.year, []).append(r)
    return [
        RowError(
            group[0].row,
            "CHILD",
            "no_header",
            f"child {child} has no valid header row: its {len(group)} episode rows are refused",
            child,
            "episodes",
            year,
            also=tuple(r.row for r in group[1:]),
        )
        for year, group in by_year.items()
    ]
