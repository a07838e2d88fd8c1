"""Several years' returns of one LA merged into one episode history per child.

A return lists the episodes open at any time in its collection year (1 April
to 31 March), so an episode open at 31 March appears again, closed and perhaps
corrected, in the next year's return. The later return is the authority for
everything open during its year. For each child that the later return lists,
an earlier return's episode is superseded when the later return has an episode
with the same start (CHILD + DECOM), or when the earlier episode was still open
at, or ended on or after, 1 April of the later year: the later return should
list it, in its corrected form. Nothing is counted twice, and the result does
not depend on the order the returns are given in (returns are taken by year;
two returns for the same year: the one given last replaces the other).

A later return's row that was rejected (its CHILD and DECOM readable) does
not supersede the earlier return's version of that episode: the earlier
version stays in force rather than the episode being withdrawn.

Rows the merge itself rejects: a second episode with the same CHILD and DECOM
in one return, and an episode starting or ending after its return's year.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from services.referrals.domain.ssda903.rows import EpisodeRow, HeaderRow, RowError, format_date
from shared.codes.ssda903 import collection_year


@dataclass(frozen=True)
class History:
    headers: dict[str, HeaderRow]  # per child, from the latest return that has one
    episodes: dict[str, list[EpisodeRow]]  # per child, ordered by DECOM
    superseded: list[EpisodeRow]
    rejected: list[RowError]


ReturnRows = tuple[int | None, Sequence[HeaderRow], Sequence[EpisodeRow]]
"""(collection year or None when unknown, header rows, episode rows)."""


Keys = frozenset[tuple[str, date]]


def merge_returns(
    returns: Iterable[ReturnRows], rejected_keys: Mapping[int | None, Keys] | None = None
) -> History:
    """`rejected_keys`: per return's year, (CHILD, DECOM) of its rejected rows."""
    by_year: dict[int | None, ReturnRows] = {}
    replaced: list[EpisodeRow] = []
    for ret in returns:
        if ret[0] in by_year:
            replaced.extend(by_year[ret[0]][2])
        by_year[ret[0]] = ret
    ordered = sorted(by_year.values(), key=lambda r: -1 if r[0] is None else r[0])
    rejected: list[RowError] = []
    headers: dict[str, HeaderRow] = {}
    kept: list[list[EpisodeRow]] = []
    for year, header, episodes in ordered:
        headers.update({h.child: _stamp(h, year) for h in header})
        kept.append(_checked(year, episodes, rejected))
    merged, superseded = _supersede([r[0] for r in ordered], kept, rejected_keys or {})
    return History(headers, merged, replaced + superseded, rejected)


def year_of(episodes: Sequence[EpisodeRow]) -> int | None:
    """The collection year a return without one most likely is: that of its latest date.

    Every episode a return lists is open at some time in its year, so some
    start or end falls in it unless every episode began earlier and is still
    open (then an earlier year is guessed: give the year).
    """
    days = [d for r in episodes for d in (r.decom, r.dec) if d is not None]
    return collection_year(max(days)) if days else None


def _stamp(row: HeaderRow, year: int | None) -> HeaderRow:
    return row if row.year == year else replace(row, year=year)


def _checked(
    year: int | None, episodes: Sequence[EpisodeRow], rejected: list[RowError]
) -> list[EpisodeRow]:
    """The return's episodes less duplicates and those outside its year."""
    end = None if year is None else date(year + 1, 3, 31)
    seen: set[tuple[str, date]] = set()
    kept: list[EpisodeRow] = []
    for row in episodes:
        row = row if row.year == year else replace(row, year=year)
        problem: tuple[str, str, str] | None = None
        if (row.child, row.decom) in seen:
            problem = (
                "DECOM",
                "duplicate_episode",
                f"a second episode of {row.child} starting {format_date(row.decom)}",
            )
        elif end and row.decom > end:
            problem = ("DECOM", "outside_collection_year", f"starts after the year's end {end}")
        elif end and row.dec and row.dec > end:
            problem = ("DEC", "outside_collection_year", f"ends after the year's end {end}")
        if problem:
            rejected.append(
                RowError(row.row, problem[0], problem[1], problem[2], row.child, "episodes", year)
            )
            continue
        seen.add((row.child, row.decom))
        kept.append(row)
    return kept


def _supersede(
    years: list[int | None], returns: list[list[EpisodeRow]], rejected: Mapping[int | None, Keys]
) -> tuple[dict[str, list[EpisodeRow]], list[EpisodeRow]]:
    """Walk from the latest return back; keep what no later return covers."""
    history: dict[str, list[EpisodeRow]] = {}
    refused_later: set[tuple[str, date]] = set()  # rejected by a later return, not given
    later_starts: dict[str, set[date]] = {}  # DECOMs the later returns list, per child
    later_year: dict[str, int] = {}  # the earliest later return listing the child
    superseded: list[EpisodeRow] = []
    for year, episodes in zip(reversed(years), reversed(returns), strict=True):
        starts: dict[str, set[date]] = {}
        for row in episodes:
            nxt = later_year.get(row.child)
            starts.setdefault(row.child, set()).add(row.decom)
            keep = (row.child, row.decom) in refused_later
            if not keep and (
                row.decom in later_starts.get(row.child, ())
                or (nxt is not None and (row.dec is None or row.dec >= date(nxt, 4, 1)))
            ):
                superseded.append(row)
            else:
                history.setdefault(row.child, []).append(row)
        for child, decoms in starts.items():
            later_starts.setdefault(child, set()).update(decoms)
            if year is not None:
                later_year[child] = year
        given = {(r.child, r.decom) for r in episodes}
        refused_later = (refused_later - given) | (set(rejected.get(year, ())) - given)
    for rows in history.values():
        rows.sort(key=lambda r: r.decom)
    return history, superseded
