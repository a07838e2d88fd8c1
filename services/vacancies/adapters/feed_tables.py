"""Tables of the shared feed: the ordered log, its head, webhook subscriptions."""

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Text
from sqlmodel import Field, SQLModel

from shared.store.tables import utcnow


class FeedEntryRow(SQLModel, table=True):
    """The ordered log every feed channel reads; `seq` is gapless and in commit order."""

    __tablename__ = "feed_entry"
    __table_args__ = (Index("ix_feed_region_seq", "region", "seq"),)

    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    region: str = Field(max_length=40)
    vacancy_id: str = Field(max_length=64)
    owner_la: str = Field(max_length=12)
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class FeedHeadRow(SQLModel, table=True):
    """One row: the last seq given. Locking it orders the writers of the feed."""

    __tablename__ = "feed_head"

    id: int = Field(primary_key=True)
    last_seq: int = Field(sa_column=Column(BigInteger, nullable=False))


class SubscriptionRow(SQLModel, table=True):
    __tablename__ = "feed_subscription"

    id: str = Field(primary_key=True, max_length=40)
    la: str | None = Field(default=None, index=True, max_length=12)
    # The key that made it (None: made before subscriptions had owners).
    key_id: str | None = Field(default=None, index=True, max_length=32)
    region: str = Field(max_length=40)
    url: str = Field(sa_column=Column(Text, nullable=False))
    secret: str = Field(max_length=100)
    status: str = Field(default="active", max_length=12)
    cursor: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    failures: int = 0
    failing_since: datetime | None = None
    next_attempt_at: datetime | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_delivered_at: datetime | None = None
    paused_at: datetime | None = None
