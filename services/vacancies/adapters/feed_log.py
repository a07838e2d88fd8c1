"""The ordered feed log: one entry per change of a shared vacancy.

`append` runs in the transaction that changed the vacancy and takes the next
seq from the head row, which `lock_supply` holds until the transaction ends,
so seqs are gapless and in commit order on SQLite and PostgreSQL alike; a
reader that remembers the last seq it saw never misses an entry. The same
entry goes to the outbox for the regional Kafka topic (key = vacancy id), so
Kafka sees the log's order.
"""

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from services.vacancies.adapters.feed_tables import FeedEntryRow, FeedHeadRow
from services.vacancies.adapters.supply_store import lock_supply
from shared.db import one_at_a_time, transaction
from shared.events.feed import FeedVacancy
from shared.kafka.topics import region_feed
from shared.store import rows
from shared.store.outbox import enqueue_raw


def ensure_head(engine: Engine) -> None:
    with transaction(engine) as s:
        one_at_a_time(s.connection(), "vacancies feed head")  # replicas starting together
        if s.get(FeedHeadRow, 1) is None:
            s.add(FeedHeadRow(id=1, last_seq=0))


def append(s: Session, region: str, event: FeedVacancy) -> int:
    lock_supply(s)  # the head row is ours until the transaction ends
    head = rows.get(s, FeedHeadRow, 1)
    assert head is not None, "lock_supply creates it"
    head.last_seq += 1
    seq = head.last_seq
    s.add(head)
    body = event.model_dump_json()
    s.add(
        FeedEntryRow(
            seq=seq, region=region, vacancy_id=event.data.vacancy_id, owner_la=event.la, body=body
        )
    )
    enqueue_raw(s, region_feed(region), event.data.vacancy_id, body)
    return seq


def read_after(engine: Engine, region: str, cursor: int, limit: int) -> list[FeedEntryRow]:
    with Session(engine) as s:
        stmt = (
            select(FeedEntryRow)
            .where(FeedEntryRow.region == region, col(FeedEntryRow.seq) > cursor)
            .order_by(col(FeedEntryRow.seq))
            .limit(limit)
        )
        return list(s.exec(stmt).all())


def last_seq(engine: Engine, region: str | None = None) -> int:
    with Session(engine) as s:
        stmt = select(func.max(FeedEntryRow.seq))
        if region is not None:
            stmt = stmt.where(FeedEntryRow.region == region)
        return int(s.exec(stmt).one() or 0)
