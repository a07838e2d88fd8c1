"""What the vacancies service keeps from the journey topic: stays, children, referrals."""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from services.vacancies.adapters.tables import MatchChildRow, MatchReferralRow, StayRow
from services.vacancies.domain.homes import Point, point
from shared.events.journey import (
    ChildAdmittedData,
    ChildDetailsCorrectedData,
    ReferralReceivedData,
)
from shared.store import rows


def start_stay(
    s: Session,
    la: str,
    placement_id: str,
    child_id: str,
    home_id: str | None,
    urn: str | None,
    start: date,
) -> bool:
    """A new stay; the child's stay still open ends the day this one starts.
    True when the placement had started before (a start corrected after a
    retraction)."""
    for row in open_stays(s, la, child_id):
        if row.placement_id != placement_id:
            row.end = start
            s.add(row)
    known = rows.get(s, StayRow, (la, placement_id))
    if known is not None:  # a corrected start (after a retraction): the home may differ
        known.home_id, known.urn = home_id, urn
        s.add(known)
        return True
    row = StayRow(
        la=la, placement_id=placement_id, child_id=child_id, home_id=home_id, urn=urn, start=start
    )
    rows.add(s, row)
    _open_index(s)[(la, child_id)].append(row)  # open_stays above put the child in the index
    return False


def unstart_stay(s: Session, la: str, placement_id: str, start: date) -> None:
    """A retracted start: the stay counts in no home. The row (and any end it has)
    is kept for the corrected start, which keeps the placement id."""
    row = rows.get(s, StayRow, (la, placement_id))
    if row is not None and row.start == start:
        row.home_id, row.urn = None, None
        s.add(row)


def unend_stay(s: Session, la: str, placement_id: str, day: date) -> None:
    """A retracted end: the stay ends when the child's next stay starts, if one has."""
    row = rows.get(s, StayRow, (la, placement_id))
    if row is None or row.end != day:
        return
    later = s.exec(
        select(StayRow)
        .where(StayRow.la == la, StayRow.child_id == row.child_id, col(StayRow.start) > row.start)
        .order_by(col(StayRow.start))
    ).first()
    row.end = later.start if later else None
    s.add(row)
    _open_index(s).pop((la, row.child_id), None)  # the stay may be open again: read anew


def end_stay(s: Session, la: str, placement_id: str, day: date) -> None:
    row = rows.get(s, StayRow, (la, placement_id))
    if row is not None:
        row.end = day
        s.add(row)


def end_open_stays(s: Session, la: str, child_id: str, day: date) -> None:
    for row in open_stays(s, la, child_id):
        row.end = day
        s.add(row)


ChildKey = tuple[str, str]  # (la, child id)


def _open_index(s: Session) -> dict[ChildKey, list[StayRow]]:
    """Per child, the stays open when the transaction read them and those it
    added since: a superset of the child's open stays (filter on `end`)."""
    index: dict[ChildKey, list[StayRow]] = s.info.setdefault("open_stays", {})
    return index


def open_stays(s: Session, la: str, child_id: str) -> list[StayRow]:
    index = _open_index(s)
    if (la, child_id) not in index:
        prefetch_open_stays(s, [(la, child_id)])
    return [r for r in index[(la, child_id)] if r.end is None]


def prefetch_open_stays(s: Session, children: Iterable[ChildKey]) -> None:
    """The open stays of these children, read in a few queries."""
    rows.prefetch_groups(
        s,
        _open_index(s),
        children,
        lambda chunk: select(StayRow).where(
            tuple_(col(StayRow.la), col(StayRow.child_id)).in_(chunk), col(StayRow.end).is_(None)
        ),
        lambda row: (row.la, row.child_id),
    )


def save_child(s: Session, la: str, data: ChildAdmittedData | ChildDetailsCorrectedData) -> None:
    row = rows.get(s, MatchChildRow, (la, data.child_id)) or MatchChildRow(
        la=la, child_id=data.child_id
    )
    if data.birth_month is not None:
        row.birth_month = data.birth_month
    if data.home_location is not None:
        row.easting, row.northing = data.home_location.easting, data.home_location.northing
    rows.add(s, row)


def save_referral(s: Session, la: str, d: ReferralReceivedData) -> None:
    if rows.get(s, MatchReferralRow, (la, d.referral_id)) is not None:
        return
    where = point(d.preferred_location)
    rows.add(
        s,
        MatchReferralRow(
            la=la,
            referral_id=d.referral_id,
            child_id=d.child_id,
            received=d.date,
            placement_sought=str(d.placement_sought),
            needs=[str(n) for n in d.needs],
            sibling_group_size=d.sibling_group_size,
            easting=where[0] if where else None,
            northing=where[1] if where else None,
        ),
    )


def close_referral(s: Session, la: str, referral_id: str, day: date) -> None:
    row = rows.get(s, MatchReferralRow, (la, referral_id))
    if row is not None:
        row.closed = day
        s.add(row)


def child_location(row: MatchChildRow | None) -> Point | None:
    if row is None or row.easting is None or row.northing is None:
        return None
    return (row.easting, row.northing)
