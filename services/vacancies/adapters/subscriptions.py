"""Webhook subscriptions and their delivery cursors."""

import secrets
from datetime import datetime

from sqlalchemy import Engine, and_, func, or_, update
from sqlmodel import Session, col, select

from services.vacancies.adapters.feed_tables import FeedEntryRow, SubscriptionRow
from services.vacancies.domain.delivery import DeliveryState, SubStatus
from shared.db import one_at_a_time, transaction


class SubscriptionLimit(Exception):
    """The key already holds as many subscriptions as it may."""


def create(
    engine: Engine,
    key_id: str,
    la: str | None,
    region: str,
    url: str,
    secret: str,
    cursor: int,
    most: int,
) -> SubscriptionRow:
    """A new subscription of the key, unless it already holds `most`: each one
    is a delivery loop the service runs, so one key cannot make them without end.
    Two made at once cannot both pass the count: on PostgreSQL an advisory
    lock per key orders them; on SQLite the row is inserted before it is
    counted, and the insert waits for the other's write lock. (pysqlite begins
    the transaction at the first write, so a count before it would be stale.)"""
    row = SubscriptionRow(
        id="sub_" + secrets.token_hex(8),
        key_id=key_id,
        la=la,
        region=region,
        url=url,
        secret=secret,
        cursor=cursor,
    )
    with transaction(engine) as s:
        one_at_a_time(s.connection(), f"subscriptions of key {key_id}")
        s.add(row)
        s.flush()  # counted with it: the insert holds SQLite's write lock
        held = select(func.count()).where(col(SubscriptionRow.key_id) == key_id)
        if s.exec(held).one() > most:  # the transaction is rolled back
            raise SubscriptionLimit(f"a key may hold {most} subscriptions: delete one first")
    return row


def get(engine: Engine, sub_id: str) -> SubscriptionRow | None:
    with Session(engine) as s:
        return s.get(SubscriptionRow, sub_id)


def owned_by(key_id: str, la: str | None, row: SubscriptionRow) -> bool:
    """A subscription is its key's; one made before keys owned them is its LA's."""
    if row.key_id is not None:
        return row.key_id == key_id
    return la is not None and row.la == la


def of_key(engine: Engine, key_id: str, la: str | None, region: str) -> list[SubscriptionRow]:
    """The subscriptions `owned_by` this key, in the order they were made."""
    key = col(SubscriptionRow.key_id)
    legacy = and_(key.is_(None), col(SubscriptionRow.la) == la) if la is not None else None
    owner = key == key_id if legacy is None else or_(key == key_id, legacy)
    with Session(engine) as s:
        stmt = select(SubscriptionRow).where(owner, SubscriptionRow.region == region)
        return list(s.exec(stmt.order_by(col(SubscriptionRow.created_at))).all())


def delete(engine: Engine, sub_id: str) -> None:
    with transaction(engine) as s:
        row = s.get(SubscriptionRow, sub_id)
        if row is not None:
            s.delete(row)


def deliverable(engine: Engine) -> list[SubscriptionRow]:
    with Session(engine) as s:
        stmt = select(SubscriptionRow).where(SubscriptionRow.status != SubStatus.PAUSED.value)
        return list(s.exec(stmt).all())


def state_of(row: SubscriptionRow) -> DeliveryState:
    return DeliveryState(
        SubStatus(row.status),
        row.failures,
        row.failing_since,
        row.next_attempt_at,
        row.last_error,
    )


def record(
    engine: Engine, sub_id: str, state: DeliveryState, now: datetime, delivered: int | None
) -> None:
    """Save the delivery state; `delivered` is the seq just delivered (the new cursor)."""
    values: dict[str, object] = {
        "status": state.status.value,
        "failures": state.failures,
        "failing_since": state.failing_since,
        "next_attempt_at": state.next_attempt_at,
        "last_error": state.last_error,
        "paused_at": now if state.status is SubStatus.PAUSED else None,
    }
    if delivered is not None:
        values |= {"cursor": delivered, "last_delivered_at": now}
    with transaction(engine) as s:
        s.execute(update(SubscriptionRow).where(col(SubscriptionRow.id) == sub_id).values(values))


def health(engine: Engine) -> list[tuple[str, str, int, datetime | None]]:
    """(region, status, entries not yet delivered, failing since) per subscription."""
    with Session(engine) as s:
        out = []
        for row in s.exec(select(SubscriptionRow)).all():
            lag = s.exec(
                select(func.count()).where(
                    FeedEntryRow.region == row.region, col(FeedEntryRow.seq) > row.cursor
                )
            ).one()
            out.append((row.region, row.status, int(lag), row.failing_since))
        return out
