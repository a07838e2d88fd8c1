"""SSDA903 export: an LA's journey events back into the episodes table of a year.

Events may come in any order and more than once (deduplicated by id); each
child's are replayed by date, time of day and kind. A new episode starts on
every admission, placement start and legal status change; its RNE is S for an
admission, the placement's reason for a new placement, L for a legal status
change alone. A first episode continuing an earlier period (flagged
`continuesperiod`) gets back its own RNE (L when a legal status change comes
the same day). An episode ends with X1 when the next one starts or its
placement ends, or with the REC of child.left_care; REASON_PLACE_CHANGE comes
from the placement.ended on DEC. The year's table holds the episodes open at
any time from 1 April to 31 March, ordered by CHILD and DECOM; DEC, REC and
REASON_PLACE_CHANGE are blank for an episode still open at 31 March.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from itertools import groupby

from services.referrals.domain.ssda903.event_factory import (
    CATEGORY_OF_NEED,
    CONTINUES_PERIOD,
    ImportedEvent,
    day_order,
)
from services.referrals.domain.ssda903.rows import (
    EPISODE_COLUMNS,
    HEADER_COLUMNS,
    EpisodeRow,
    HeaderRow,
    format_date,
)
from shared.events.envelope import Envelope
from shared.events.journey import (
    ChildAdmitted,
    ChildDetailsCorrected,
    ChildLeftCare,
    LegalStatusChanged,
    PlacementEnded,
    PlacementStarted,
)

_IMPORTED = (
    ChildAdmitted, ChildDetailsCorrected, ChildLeftCare, LegalStatusChanged, PlacementEnded,
    PlacementStarted,
)  # fmt: skip


def events_to_episodes(events: Iterable[Envelope], *, la: str, year: int) -> list[EpisodeRow]:
    """The episodes open at any time in collection year `year` (1 April to 31 March)."""
    start, end = date(year, 4, 1), date(year + 1, 3, 31)
    unique = {e.id: e for e in events if isinstance(e, _IMPORTED) and e.la == la}
    mine: list[ImportedEvent] = list(unique.values())
    mine.sort(key=lambda e: (e.data.child_id, e.data.date, e.time, day_order(_kind(e))))
    rows: list[EpisodeRow] = []
    for _, child_events in groupby(mine, key=lambda e: e.data.child_id):
        for ep in _replay(child_events):
            if ep.decom > end or (ep.dec is not None and ep.dec < start):
                continue
            if ep.dec is not None and ep.dec > end:
                ep = replace(ep, dec=None, rec=None, reason_place_change=None)
            rows.append(ep)
    return rows


def write_episodes_csv(rows: Iterable[EpisodeRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EPISODE_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(r.as_csv_dict() for r in rows)
    return out.getvalue()


def events_to_header(
    events: Iterable[Envelope], *, la: str, children: Iterable[str]
) -> list[HeaderRow]:
    """The header rows of `children`: sex, ethnicity and month of birth as the
    latest admission or correction gives them (DOB is the 1st of the month:
    events carry the month only, and the export never shows more)."""
    wanted = set(children)
    details: dict[str, tuple[date, str, int, str]] = {}
    for e in sorted(
        (e for e in events if isinstance(e, ChildAdmitted | ChildDetailsCorrected) and e.la == la),
        key=lambda e: (e.data.date, e.time),
    ):
        d = e.data
        if d.child_id not in wanted:
            continue
        month, sex, ethnic = details.get(d.child_id, (d.date, "", 0, ""))[1:]
        details[d.child_id] = (
            d.date,
            d.birth_month or month,
            d.sex or sex,
            d.ethnicity or ethnic,
        )
    return [
        HeaderRow(child, sex, date.fromisoformat(f"{month}-01"), ethnic)
        for child, (_, month, sex, ethnic) in sorted(details.items())
        if month and sex and ethnic
    ]


def write_header_csv(rows: Iterable[HeaderRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER_COLUMNS)
    writer.writerows((r.child, r.sex, format_date(r.dob), r.ethnic) for r in rows)
    return out.getvalue()


def _kind(event: Envelope) -> str:
    return event.type.rsplit(".", 1)[0]


@dataclass
class _Child:
    ls: str = ""
    cin: str = ""
    home: str | None = None
    placement: PlacementStarted | None = None
    open: EpisodeRow | None = None
    admitted_on: date | None = None
    continuing: bool = False
    ls_changed_on: date | None = None


def _same_day_status_change(current: EpisodeRow, day: date, done: list[EpisodeRow]) -> bool:
    """Is `current` a legal-status-only episode opened today, on the day the one before ended?"""
    return current.rne == "L" and current.decom == day and bool(done) and done[-1].dec == day


def _replay(events: Iterable[ImportedEvent]) -> list[EpisodeRow]:
    episodes: list[EpisodeRow] = []
    c = _Child()

    def close(day: date, rec: str = "X1", rpc: str | None = None) -> None:
        if c.open is not None and _same_day_status_change(c.open, day, episodes):
            # A legal status change and a change of placement (or leaving care)
            # on one day: the 903 has no episode that ends the day it starts,
            # so the episode before ends with this change's reasons.
            episodes[-1] = replace(
                episodes[-1], rec=rec, reason_place_change=rpc or episodes[-1].reason_place_change
            )
            c.open = None
        if c.open is not None:
            episodes.append(replace(c.open, dec=day, rec=rec, reason_place_change=rpc))
            c.open = None

    def open_(day: date, rne: str) -> None:
        p = c.placement
        assert p is not None
        c.open = EpisodeRow(
            p.data.child_id,
            day,
            rne,
            c.ls,
            c.cin,
            p.data.placement_type,
            p.data.provider,
            home_post=c.home,
            pl_post=p.data.placement_postcode,
            urn=p.data.urn,
        )

    for e in events:
        day = e.data.date
        match e:
            case ChildAdmitted():
                c.ls, c.cin = e.data.legal_status, e.data.category_of_need
                c.home, c.admitted_on = e.data.home_postcode, day
                c.continuing = bool((e.model_extra or {}).get(CONTINUES_PERIOD))
            case ChildDetailsCorrected():
                c.home = e.data.home_postcode or c.home
                c.cin = (e.model_extra or {}).get(CATEGORY_OF_NEED) or c.cin
            case LegalStatusChanged():
                c.ls, c.ls_changed_on = e.data.legal_status, day
                if c.open is not None:
                    close(day)
                    open_(day, "L")
            case PlacementStarted():
                close(day)
                c.placement = e
                rne = e.data.reason
                if c.admitted_on == day:
                    rne = "S" if not c.continuing else "L" if c.ls_changed_on == day else rne
                open_(day, rne)
            case PlacementEnded():
                if c.placement and c.placement.data.placement_id == e.data.placement_id:
                    close(day, rpc=e.data.reason_for_change)
                    c.placement = None
            case ChildLeftCare():
                close(day, rec=e.data.reason)
                if episodes and episodes[-1].dec == day and episodes[-1].rec == "X1":
                    episodes[-1] = replace(episodes[-1], rec=e.data.reason)
                c.placement = None
    if c.open is not None:
        episodes.append(c.open)
    return episodes
