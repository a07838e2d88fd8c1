"""The metrics service's own tables: its event log and reference data."""

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, Integer, Text
from sqlmodel import Field, SQLModel

from shared.store.buffer import IGNORE_DUPLICATES
from shared.store.tables import SHARED_TABLES, table_of, utcnow


class MetricsEvent(SQLModel, table=True):
    """Every journey and supply event applied, in the order applied.

    The in-memory projection is rebuilt from this at start; replaying the
    topics into a fresh database rebuilds this. Every replica writes each event
    it consumes here, so an event is kept once (source, id) and the others'
    writes of it change nothing; a replica folds at start the events of this
    log that its own inbox holds.
    """

    __tablename__ = "metrics_event"
    __table_args__ = (
        Index("ux_metrics_event_source_id", "source", "event_id", unique=True),
        {"info": {IGNORE_DUPLICATES: True}},
    )

    seq: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    source: str = Field(max_length=300)
    event_id: str = Field(max_length=64)
    la: str = Field(max_length=12, index=True)
    type: str = Field(max_length=60)
    body: str = Field(sa_column=Column(Text, nullable=False))


class Population(SQLModel, table=True):
    __tablename__ = "population"

    la: str = Field(primary_key=True, max_length=12)
    year: int = Field(primary_key=True, description="mid-year estimate year")
    aged_0_17: int


class Target(SQLModel, table=True):
    __tablename__ = "target"

    la: str = Field(primary_key=True, max_length=12)
    indicator: str = Field(primary_key=True, max_length=60)
    breakdown: str = Field(default="", primary_key=True, max_length=40)
    valid_from: date = Field(primary_key=True)
    value: float
    higher_is_better: bool = True


class RegionMember(SQLModel, table=True):
    __tablename__ = "region_member"

    region: str = Field(primary_key=True, max_length=40)
    la: str = Field(primary_key=True, max_length=12)
    la_name: str = ""


class RecordsFrom(SQLModel, table=True):
    """The day from which an LA's history in this store is complete: before it,
    a backfill holds only the children still in care when its records begin,
    so no snapshot is published for those days."""

    __tablename__ = "records_from"

    la: str = Field(primary_key=True, max_length=12)
    complete_from: date


class SnapshotMark(SQLModel, table=True):
    """When an LA's snapshot for a date was last published, and what it said."""

    __tablename__ = "snapshot_mark"

    la: str = Field(primary_key=True, max_length=12)
    as_of: date = Field(primary_key=True)
    digest: str = Field(max_length=64)
    published_at: datetime = Field(default_factory=utcnow)


TABLES = [
    *SHARED_TABLES,
    *(
        table_of(t)
        for t in (MetricsEvent, Population, Target, RegionMember, RecordsFrom, SnapshotMark)
    ),
]
