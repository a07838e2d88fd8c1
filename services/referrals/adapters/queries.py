"""Reading an LA's own journey data, and recording that it was read."""

import json
from datetime import UTC, date, datetime, time

from sqlalchemy import Engine, tuple_
from sqlmodel import Session, col, select

from services.referrals.adapters.tables import AuditRow, ReferralRow
from services.referrals.domain.journey_history import effective
from shared.db import transaction
from shared.events.journey import JourneyEvent
from shared.events.registry import parse_journey
from shared.store.tables import IngestedEvent


def journey_events(engine: Engine, la: str, child_id: str) -> list[JourneyEvent]:
    """Every accepted event about a child that still holds (not retracted), in the
    order they happened."""
    with Session(engine) as s:
        rows = s.exec(
            select(IngestedEvent).where(IngestedEvent.la == la, IngestedEvent.key == child_id)
        ).all()
    events: list[JourneyEvent] = list(effective(parse_journey(json.loads(r.body)) for r in rows))
    return sorted(events, key=lambda e: (e.data.date, e.time))


def open_referrals(
    engine: Engine, la: str, after: tuple[date, str] | None, limit: int
) -> list[ReferralRow]:
    """Up to `limit` open referrals, oldest first, after the one whose
    (received, referral_id) is `after`."""
    received, referral_id = col(ReferralRow.received), col(ReferralRow.referral_id)
    with Session(engine) as s:
        stmt = select(ReferralRow).where(ReferralRow.la == la, col(ReferralRow.closed).is_(None))
        if after is not None:
            stmt = stmt.where(tuple_(received, referral_id) > after)
        return list(s.exec(stmt.order_by(received, referral_id).limit(limit)).all())


def audit(engine: Engine, key_id: str, la: str, action: str, target: str) -> None:
    with transaction(engine) as s:
        s.add(AuditRow(key_id=key_id, la=la, action=action, target=target))


def audit_log(
    engine: Engine, la: str, since: date | None, before: tuple[datetime, int] | None, limit: int
) -> list[AuditRow]:
    """Up to `limit` reads, newest first, before the one whose (at, id) is `before`."""
    at, row_id = col(AuditRow.at), col(AuditRow.id)
    with Session(engine) as s:
        stmt = select(AuditRow).where(AuditRow.la == la)
        if since is not None:
            start = datetime.combine(since, time(), tzinfo=UTC)  # the column is aware
            stmt = stmt.where(at >= start)
        if before is not None:
            stmt = stmt.where(tuple_(at, row_id) < before)
        return list(s.exec(stmt.order_by(at.desc(), row_id.desc()).limit(limit)).all())
