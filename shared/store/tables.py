"""SQLModel tables shared by the services (each in its own database)."""

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, Index, Integer, Table, Text
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class OutboxMessage(SQLModel, table=True):
    """An event to publish, written in the same transaction as its effects."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_unpublished", "published", "seq"),)

    # BigInteger on PostgreSQL, INTEGER (rowid alias) on SQLite.
    seq: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    topic: str = Field(max_length=200)
    key: str = Field(max_length=200)
    value: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    published: bool = Field(default=False)
    partition: int | None = None
    offset: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


class ParkedMessage(SQLModel, table=True):
    """An outbox row the broker refused for good (too large, invalid topic).

    Moved here so that the relay goes on with the rows after it; an operator
    reads the error, fixes the cause and re-enqueues or drops it by hand.
    """

    __tablename__ = "outbox_parked"

    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    topic: str = Field(max_length=200)
    key: str = Field(max_length=200)
    value: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime
    parked_at: datetime = Field(default_factory=utcnow)
    error: str = Field(sa_column=Column(Text, nullable=False))


class ProcessedEvent(SQLModel, table=True):
    """The inbox: (consumer, source, id) of every event a consumer applied."""

    __tablename__ = "processed_event"
    # The inbox is looked up by consumer and event id (a batch's ids at once);
    # the primary key's middle column (source) would otherwise force a scan.
    # The index covers source too: SQLite's planner otherwise prefers the
    # covering primary key on `consumer` alone, a scan of the whole inbox.
    __table_args__ = (
        Index("ix_processed_consumer_event_source", "consumer", "event_id", "source"),
    )

    consumer: str = Field(primary_key=True, max_length=100)
    source: str = Field(primary_key=True, max_length=300)
    event_id: str = Field(primary_key=True, max_length=64)
    processed_at: datetime = Field(default_factory=utcnow)


class ConsumerPosition(SQLModel, table=True):
    """Where a consumer is in a partition, written with the changes it applied.

    `last_sha256` fingerprints the last message applied, so that a broker that
    came back with a different log (the embedded one keeps nothing) is noticed.
    """

    __tablename__ = "consumer_position"

    consumer: str = Field(primary_key=True, max_length=100)
    topic: str = Field(primary_key=True, max_length=200)
    partition: int = Field(primary_key=True)
    next_offset: int = Field(sa_column=Column(BigInteger, nullable=False))
    last_sha256: str = Field(max_length=64)


class IngestedEvent(SQLModel, table=True):
    """Every event accepted over HTTP: the durable record and idempotency log."""

    __tablename__ = "ingested_event"
    __table_args__ = (
        Index("ix_ingested_la_time", "la", "time"),
        Index("ix_ingested_la_key", "la", "key"),
    )

    event_id: str = Field(primary_key=True, max_length=64)
    source: str = Field(max_length=300)
    type: str = Field(max_length=100)
    la: str = Field(max_length=12)
    subject: str | None = Field(default=None, max_length=200)
    key: str = Field(default="", max_length=200, description="child id or home id: the Kafka key")
    time: datetime
    body_sha256: str = Field(max_length=64)
    body: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime = Field(default_factory=utcnow)


def table_of(model: type[SQLModel]) -> Table:
    """The SQLAlchemy table of a SQLModel class (typed: the attribute is dynamic)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


SHARED_TABLES = [
    table_of(m)
    for m in (OutboxMessage, ParkedMessage, ProcessedEvent, ConsumerPosition, IngestedEvent)
]
