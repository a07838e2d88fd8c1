"""A child's episodes, in DECOM order, turned into journey events.

RNE S: child.admitted + placement.started. P, B, T, U: placement.ended (the
previous placement, with the previous episode's REASON_PLACE_CHANGE) +
placement.started with that reason, and legal_status.changed when LS changed.
L: legal_status.changed only (the placement goes on). REC X1: the period goes
on; any other REC: placement.ended + child.left_care on DEC.

A child's first episode with RNE other than S continues a period of care that
began before the records: it gives a child.admitted and a placement.started
dated at its DECOM and both flagged `continuesperiod` (see event_factory);
when its RNE is L, a legal_status.changed on the same day keeps that RNE, and
the placement.started has reason P (a placement of unknown start). For the
indicators: a flagged admission is not a start into care and the period's
true length is at least its DECOM to date; a flagged placement is one the
child already had, not a move.

Each row is checked against the history kept so far; a row that would make it
inconsistent is rejected with its reason and the history goes on from the
last accepted row, so what is imported exports back to exactly the accepted
rows.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from pydantic import ValidationError

from services.referrals.domain.ssda903.event_factory import (
    EventFactory,
    ImportedEvent,
    placement_id,
)
from services.referrals.domain.ssda903.postcodes import PostcodeDirectory
from services.referrals.domain.ssda903.rows import (
    EpisodeRow,
    HeaderRow,
    RowError,
    UascRow,
    format_date,
)
from shared.events.common import GridRef

Warn = Callable[[EpisodeRow, str, str, str], None]
# Refusals that follow from the history kept so far: after an earlier refusal
# of the same child they may be only its consequence, and are counted apart.
_SEQUENCE = frozenset(
    {"previous_episode_open", "overlaps_previous", "already_in_care", "not_in_care",
     "no_open_placement", "placement_changed_on_rne_l"}
)  # fmt: skip


@dataclass(frozen=True)
class LeftOpen:
    """A child still in care only because its later episodes were refused."""

    child: str
    since: date  # start of the last accepted episode
    refused_from: date  # start of the first refused episode after it


class Problem(NamedTuple):
    column: str | None
    reason: str
    message: str


@dataclass
class _State:
    seen: bool = False
    in_care: bool = False
    last: EpisodeRow | None = None  # the last accepted episode
    placement: EpisodeRow | None = None  # the episode the open placement began in
    ls: str | None = None
    cin: str | None = None
    home: str | None = None


@dataclass
class ChildConverter:
    """Converts one child's episodes; `events` and `rejected` accumulate."""

    header: HeaderRow
    factory: EventFactory
    postcodes: PostcodeDirectory | None
    uasc: UascRow | None  # the child's row of the UASC file, if any
    warn: Warn
    refused_before: bool = False  # a row of this child was already refused
    events: list[ImportedEvent] = field(default_factory=list)
    rejected: list[RowError] = field(default_factory=list)
    imported: int = 0
    st: _State = field(default_factory=_State)
    _refused: list[EpisodeRow] = field(default_factory=list)

    def add(self, row: EpisodeRow) -> None:
        problem = self._problem(row)
        self._warnings: list[tuple[EpisodeRow, str, str, str]] = []
        if problem is None:
            try:
                events = self._events(row)
            except ValidationError as exc:
                err = exc.errors()[0]
                problem = Problem(None, "invalid_event", f"{err['loc']}: {err['msg']}")
        if problem is not None:
            column, reason, message = problem
            after = self.refused_before and reason in _SEQUENCE
            if after:
                message += " (an earlier episode of this child was refused)"
            self.rejected.append(
                RowError(
                    row.row, column, reason, message, row.child, "episodes", row.year,
                    after_refusal=after,
                )
            )  # fmt: skip
            self.refused_before = True
            self._refused.append(row)
            return
        for warning in self._warnings:
            self.warn(*warning)
        self.events.extend(events)
        self.imported += 1
        self._evolve(row)

    def left_open(self, refused_starts: Iterable[date] = ()) -> "LeftOpen | None":
        """The child is in care only because the episodes after its last accepted one
        were refused (here, or when the rows were read: `refused_starts`): the
        report names it, as its placement may be unknown."""
        last = self.st.last
        if last is None or not self.st.in_care:
            return None
        later = [d for d in (*refused_starts, *(r.decom for r in self._refused)) if d > last.decom]
        return LeftOpen(last.child, last.decom, min(later)) if later else None

    def finish(self) -> None:
        """An X1 episode with no accepted successor still ends its placement."""
        last = self.st.last
        if last and last.dec and last.rec == "X1" and self.st.placement:
            self.events.append(self._ended(last, self.st.placement))
            self.st.placement = None

    def _problem(self, row: EpisodeRow) -> Problem | None:
        st, last = self.st, self.st.last
        start, prev_start = format_date(row.decom), format_date(last.decom) if last else ""
        prev_end = format_date(last.dec) if last else ""
        if row.decom < self.header.dob:
            return Problem("DECOM", "before_birth", f"starts before the child's birth {start}")
        if last is not None and last.dec is None:
            msg = f"the previous episode (from {prev_start}) has no end date"
            return Problem("DECOM", "previous_episode_open", msg)
        if last is not None and last.dec is not None and row.decom < last.dec:
            msg = (
                f"starts {start}, before the previous episode (from {prev_start}) ended {prev_end}"
            )
            return Problem("DECOM", "overlaps_previous", msg)
        if row.rne == "S" and st.in_care:
            msg = f"RNE S but the period of care has not ended: the episode from {prev_start} ended"
            return Problem("RNE", "already_in_care", f"{msg} {prev_end} with X1")
        if row.rne == "S" or not st.seen:
            return None
        assert last is not None and last.dec is not None
        if not st.in_care:
            msg = f"RNE {row.rne} but the period of care ended {prev_end} (REC {last.rec})"
            return Problem("RNE", "not_in_care", f"{msg}; a new period starts with RNE S")
        if row.rne == "L" and last.dec != row.decom:
            msg = f"RNE L keeps the placement, but the previous accepted episode ended {prev_end}"
            return Problem("RNE", "no_open_placement", f"{msg}, this one starts {start}")
        changed = [
            c
            for c, a, b in (
                ("PLACE", row.place, last.place),
                ("PLACE_PROVIDER", row.place_provider, last.place_provider),
                ("URN", row.urn, last.urn),
                ("PL_POST", row.pl_post, last.pl_post),
            )
            if a != b
        ]
        if row.rne == "L" and changed:
            msg = f"RNE L (legal status only) but {', '.join(changed)} differ from the previous"
            return Problem("RNE", "placement_changed_on_rne_l", f"{msg} episode")
        return None

    def _events(self, row: EpisodeRow) -> list[ImportedEvent]:
        st, last, f = self.st, self.st.last, self.factory
        first = not st.seen
        out: list[ImportedEvent] = []
        if last and last.rec == "X1" and row.rne != "L":
            out.append(self._ended(last, st.placement))
        elif last and last.rec == "X1" and last.reason_place_change:
            self._warnings.append(
                (
                    last,
                    "REASON_PLACE_CHANGE",
                    "reason_place_change_ignored",
                    "the next episode is RNE L: no placement change to give a reason for",
                )
            )
        if row.rne == "S" or first:
            h, home_grid = self.header, self._where(row, row.home_post, "HOME_POST")[0]
            out.append(
                f.admitted(
                    row.child,
                    row.decom,
                    birth_month=f"{h.dob:%Y-%m}",
                    sex=h.sex,
                    ethnicity=h.ethnic,
                    legal_status=row.ls,
                    category_of_need=row.cin,
                    uasc=self.uasc is not None and self.uasc.uasc_on(row.decom),
                    home_postcode=row.home_post,
                    home_location=home_grid,
                    continues_period=row.rne != "S",
                )
            )
        else:
            out.extend(self._corrections(row))
            if row.rne == "L" or row.ls != st.ls:
                out.append(f.legal_status(row.child, row.decom, row.ls))
        if first and row.rne == "L":
            out.append(f.legal_status(row.child, row.decom, row.ls))
        if row.rne != "L" or first:
            grid, la = self._where(row, row.pl_post, "PL_POST")
            out.append(
                f.started(
                    row.child,
                    row.decom,
                    reason="P" if row.rne == "L" else row.rne,
                    placement_type=row.place,
                    provider=row.place_provider,
                    urn=row.urn,
                    postcode=row.pl_post,
                    location=grid,
                    placement_la=la,
                    continues_period=first and row.rne != "S",
                )
            )
        if row.dec and row.rec and row.rec != "X1":
            out.append(self._ended(row, row if row.rne != "L" or first else st.placement))
            out.append(f.left_care(row.child, row.decom, day=row.dec, reason=row.rec))
        return out

    def _corrections(self, row: EpisodeRow) -> list[ImportedEvent]:
        st = self.st
        home = row.home_post if row.home_post != st.home else None
        if row.home_post is None and st.home is not None:
            msg = f"HOME_POST blank after {st.home}: the earlier postcode is kept"
            self._warnings.append((row, "HOME_POST", "home_post_cleared", msg))
        cin = row.cin if row.cin != st.cin else None
        if home is None and cin is None:
            return []
        grid = self._where(row, home, "HOME_POST")[0]
        return [
            self.factory.corrected(
                row.child, row.decom, home_postcode=home, home_location=grid, category_of_need=cin
            )
        ]

    def _ended(self, row: EpisodeRow, began: EpisodeRow | None) -> ImportedEvent:
        """The end, on row's DEC, of the placement that began in episode `began`."""
        assert row.dec is not None and began is not None
        return self.factory.ended(
            row.child,
            row.decom,
            day=row.dec,
            placement=placement_id(row.child, began.decom),
            reason_for_change=row.reason_place_change,
        )

    def _where(
        self, row: EpisodeRow, postcode: str | None, column: str
    ) -> tuple[GridRef | None, str | None]:
        if postcode is None or self.postcodes is None:
            return None, None
        found = self.postcodes.lookup(postcode)
        if found is None:
            msg = f"{postcode} is not in the postcode directory: distance not known"
            self._warnings.append((row, column, "postcode_not_in_directory", msg))
            return None, None
        return found

    def _evolve(self, row: EpisodeRow) -> None:
        st = self.st
        if row.rne != "L" or not st.seen:
            st.placement = row
        if row.rne == "S" or not st.seen or row.home_post is not None:
            st.home = row.home_post
        st.seen, st.in_care, st.last = True, row.rec in (None, "X1"), row
        st.ls, st.cin = row.ls, row.cin
        if not st.in_care:
            st.placement = None
