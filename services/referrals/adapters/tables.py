"""The referrals service's own tables (its database only)."""

from datetime import date, datetime

from sqlalchemy import Column, Text
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


class AuditRow(SQLModel, table=True):
    """Every read of child-level data: who, which LA, what."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    key_id: str = Field(max_length=32)
    la: str = Field(max_length=12)
    action: str = Field(max_length=60)
    target: str = Field(sa_column=Column(Text, nullable=False))


TABLES = [*SHARED_TABLES, *(table_of(t) for t in (ChildRow, PlacementRow, ReferralRow, AuditRow))]
