"""SSDA903 import: returns in, journey events in time order and a report out.

`import_returns` parses each return's header and episodes files, merges the
years (merge.py: the later return's version of an episode wins, nothing is
counted twice, any order), and converts each child's history
(child_history.py). Every row read is imported, superseded by a later
return, or rejected with its reasons: episodes_read == episodes_imported +
episodes_superseded + episodes_rejected. The same input always gives the same
events with the same ids.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from services.referrals.domain.ssda903.child_history import ChildConverter
from services.referrals.domain.ssda903.event_factory import EventFactory, ImportedEvent
from services.referrals.domain.ssda903.merge import History, ReturnRows, merge_returns
from services.referrals.domain.ssda903.postcodes import PostcodeDirectory
from services.referrals.domain.ssda903.rows import (
    EpisodeRow,
    HeaderRow,
    RowError,
    Rows,
    parse_episodes,
    parse_header,
)


@dataclass(frozen=True)
class ImportReport:
    episodes_read: int
    episodes_imported: int
    episodes_superseded: int
    header_read: int
    header_imported: int
    rejected: tuple[RowError, ...]  # one entry per reason; a row may have several
    warnings: tuple[RowError, ...]  # kept rows with something dropped (e.g. a bad postcode)
    read_by_year: tuple[tuple[int | None, int, int], ...] = ()  # (year, header, episodes)
    superseded_years: tuple[int | None, ...] = ()  # the return of each superseded row

    def for_year(self, year: int | None) -> "ImportReport":
        """The rows of one of the returns merged (the service merges all an LA holds)."""
        header_read = sum(h for y, h, _ in self.read_by_year if y == year)
        episodes_read = sum(n for y, _, n in self.read_by_year if y == year)
        rejected = tuple(e for e in self.rejected if e.year == year)
        superseded = self.superseded_years.count(year)
        bad_rows = {e.row for e in rejected if e.file == "episodes"}
        bad_headers = {e.row for e in rejected if e.file == "header"}
        return ImportReport(
            episodes_read=episodes_read,
            episodes_imported=episodes_read - superseded - len(bad_rows),
            episodes_superseded=superseded,
            header_read=header_read,
            header_imported=header_read - len(bad_headers),
            rejected=rejected,
            warnings=tuple(e for e in self.warnings if e.year == year),
            read_by_year=((year, header_read, episodes_read),),
            superseded_years=(year,) * superseded,
        )

    @property
    def episodes_rejected(self) -> int:
        return len({(e.year, e.row) for e in self.rejected if e.file == "episodes"})

    @property
    def header_rejected(self) -> int:
        return len({(e.year, e.row) for e in self.rejected if e.file == "header"})


@dataclass(frozen=True)
class ImportResult:
    events: list[ImportedEvent]
    report: ImportReport


def import_returns(
    returns: Iterable[tuple[int | None, Rows, Rows]],
    *,
    la: str,
    source: str,
    postcodes: PostcodeDirectory | None = None,
    uasc: Collection[str] = frozenset(),
) -> ImportResult:
    """(collection year, header file, episodes file) per return -> events + report."""
    parsed: list[tuple[int | None, Sequence[HeaderRow], Sequence[EpisodeRow]]] = []
    errors: list[RowError] = []
    warnings: list[RowError] = []
    read: list[tuple[int | None, int, int]] = []
    for year, header_rows, episode_rows in returns:
        header, episodes = (
            parse_header(header_rows, year=year),
            parse_episodes(episode_rows, year=year),
        )
        parsed.append((year, header.rows, episodes.rows))
        errors += header.errors + episodes.errors
        warnings += episodes.warnings
        read.append((year, header.read, episodes.read))
    return _convert(
        merge_returns(parsed),
        la,
        source,
        postcodes,
        uasc,
        read=read,
        errors=errors,
        warnings=warnings,
    )


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
    return _convert(
        merge_returns(returns), la, source, postcodes, uasc, read=read, errors=[], warnings=[]
    )


def _convert(
    history: History,
    la: str,
    source: str,
    postcodes: PostcodeDirectory | None,
    uasc: Collection[str],
    *,
    read: list[tuple[int | None, int, int]],
    errors: list[RowError],
    warnings: list[RowError],
) -> ImportResult:
    factory = EventFactory(la, source)
    rejected = errors + history.rejected
    events: list[ImportedEvent] = []
    imported = 0

    def warn(row: EpisodeRow, column: str, reason: str, message: str) -> None:
        warnings.append(RowError(row.row, column, reason, message, row.child, "episodes", row.year))

    for child in sorted(history.episodes):
        header = history.headers.get(child)
        if header is None:
            rejected += [
                RowError(
                    r.row,
                    "CHILD",
                    "no_header",
                    f"child {child} has no valid header row",
                    child,
                    "episodes",
                    r.year,
                )
                for r in history.episodes[child]
            ]
            continue
        converter = ChildConverter(header, factory, postcodes, child in uasc, warn)
        for row in history.episodes[child]:
            converter.add(row)
        converter.finish()
        events += converter.events
        rejected += converter.rejected
        imported += converter.imported
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
    )
    return ImportResult(events, report)
