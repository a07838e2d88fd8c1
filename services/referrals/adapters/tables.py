"""The referrals service's own tables (its database only)."""

from datetime import date, datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from shared.store.tables import SHARED_TABLES, table_of, utcnow


class ChildRow(SQLModel, table=True):
    __tablename__ = "child"

    la: str = Field(primary_key=True, max_length=12)
    child_id: str = Field(primary_key=True, max_length=64)
    in_care: bool
    period_start: date | None = None
    left_care_on: date | None = None
    last_date: date
    open_placement_id: str | None = None
    open_placement_start: date | None = None


class PlacementRow(SQLModel, table=True):
    __tablename__ = "placement"

    la: str = Field(primary_key=True, max_length=12)
    placement_id: str = Field(primary_key=True, max_length=64)
    child_id: str = Field(index=True, max_length=64)
    start: date
    end: date | None = None
    end_reported: bool = False


class ReferralRow(SQLModel, table=True):
    __tablename__ = "referral"

    la: str = Field(primary_key=True, max_length=12)
    referral_id: str = Field(primary_key=True, max_length=64)
    child_id: str = Field(index=True, max_length=64)
    received: date
    closed: date | None = None
    urgency: str = "planned"
    placement_sought: str = "other"
    outcome: str | None = None


class ReturnRow(SQLModel, table=True):
    """An SSDA903 return as imported, kept so that every import can merge all the
    LA's returns again (the same year imported again replaces it)."""

    __tablename__ = "ssda903_return"

    la: str = Field(primary_key=True, max_length=12)
    year: int = Field(primary_key=True, description="collection year: 2024 is 2024-25")
    header: str = Field(sa_column=Column(Text, nullable=False))
    episodes: str = Field(sa_column=Column(Text, nullable=False))
    imported_at: datetime = Field(default_factory=utcnow)
    uasc: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # earlier versions of episodes whose row in `episodes` was rejected (CSV)
    carried: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # children the last import left in care only because later episodes were
    # refused: CSV child,since,refused_from (shown beside the export)
    left_open: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class ImportJobRow(SQLModel, table=True):
    """A large return imported in the background: its progress and its report."""

    __tablename__ = "ssda903_import_job"

    job_id: str = Field(primary_key=True, max_length=36)
    la: str = Field(index=True, max_length=12)
    status: str = Field(max_length=16, description="running, done, refused, failed, interrupted")
    owner: str | None = Field(
        default=None, max_length=200, description="the replica running it (REPLICA_ID)"
    )
    done: int = 0
    total: int = 0
    submitted_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    result: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class PostcodeRow(SQLModel, table=True):
    """Postcodes an import resolved through the operator's directory, so that
    returns merged again later keep their locations without the directory."""

    __tablename__ = "ssda903_postcode"

    la: str = Field(primary_key=True, max_length=12)
    postcode: str = Field(primary_key=True, max_length=8)
    easting: int
    northing: int
    postcode_la: str | None = Field(default=None, max_length=12)


class AuditRow(SQLModel, table=True):
    """Every read of child-level data: who, which LA, what."""

    __tablename__ = "audit_log"
    # GET /audit pages an LA's reads, newest first.
    __table_args__ = (Index("ix_audit_la_at", "la", "at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    key_id: str = Field(max_length=32)
    la: str = Field(max_length=12)
    action: str = Field(max_length=60)
    target: str = Field(sa_column=Column(Text, nullable=False))


TABLES = [
    *SHARED_TABLES,
    *(
        table_of(t)
        for t in (
            ChildRow,
            PlacementRow,
            ReferralRow,
            ReturnRow,
            PostcodeRow,
            ImportJobRow,
            AuditRow,
        )
    ),
]
