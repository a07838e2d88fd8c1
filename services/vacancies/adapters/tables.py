"""The vacancies service's own tables (its database only)."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from services.vacancies.adapters.feed_tables import FeedEntryRow, FeedHeadRow, SubscriptionRow
from shared.store.tables import SHARED_TABLES, table_of


class HomeRow(SQLModel, table=True):
    __tablename__ = "home"

    home_id: str = Field(primary_key=True, max_length=64)
    owner_la: str = Field(index=True, max_length=12)
    kind: str = Field(max_length=40)
    provider: str = Field(max_length=20)
    name: str | None = Field(default=None, max_length=200)
    urn: str | None = Field(default=None, index=True, max_length=20)
    location_la: str = Field(max_length=12)
    postcode: str | None = Field(default=None, max_length=10)
    easting: int | None = None
    northing: int | None = None
    registered_places: int
    age_min: int
    age_max: int
    specialisms: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    ofsted_rating: str = Field(max_length=30)
    weekly_price: float | None = None
    frameworks: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    share_regionally: bool = False
    registered_on: date
    deregistered_on: date | None = None
    updated_at: datetime


class HomePlacesRow(SQLModel, table=True):
    """Registered places from a date on (0 from deregistration)."""

    __tablename__ = "home_places"

    home_id: str = Field(primary_key=True, max_length=64)
    since: date = Field(primary_key=True)
    places: int


class VacancyRow(SQLModel, table=True):
    __tablename__ = "vacancy"
    __table_args__ = (
        Index("ix_vacancy_status_home", "status", "home_id"),
        # GET /vacancies pages an LA's vacancies in the order opened.
        Index("ix_vacancy_owner_opened", "owner_la", "opened_at", "vacancy_id"),
    )

    vacancy_id: str = Field(primary_key=True, max_length=64)
    home_id: str = Field(index=True, max_length=64)
    owner_la: str = Field(index=True, max_length=12)
    places: int
    status: str = Field(max_length=12)
    available_from: date
    opened_at: datetime
    updated_at: datetime
    expires_at: datetime | None = Field(default=None, index=True)
    held_for_referral: str | None = Field(default=None, max_length=64)
    hold_until: datetime | None = Field(default=None, index=True)
    held_at: datetime | None = None
    suitable_for: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    age_min: int
    age_max: int
    filled_by: list[list[str | int]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class StayRow(SQLModel, table=True):
    """A child's stay in a home, from the journey topic (occupancy)."""

    __tablename__ = "stay"
    __table_args__ = (Index("ix_stay_child", "la", "child_id"),)

    la: str = Field(primary_key=True, max_length=12)
    placement_id: str = Field(primary_key=True, max_length=64)
    child_id: str = Field(max_length=64)
    home_id: str | None = Field(default=None, index=True, max_length=64)
    urn: str | None = Field(default=None, max_length=20)
    start: date
    end: date | None = None


class MatchChildRow(SQLModel, table=True):
    """What matching needs of a child: month of birth and home location only."""

    __tablename__ = "match_child"

    la: str = Field(primary_key=True, max_length=12)
    child_id: str = Field(primary_key=True, max_length=64)
    birth_month: str | None = Field(default=None, max_length=7)
    easting: int | None = None
    northing: int | None = None


class MatchReferralRow(SQLModel, table=True):
    __tablename__ = "match_referral"

    la: str = Field(primary_key=True, max_length=12)
    referral_id: str = Field(primary_key=True, max_length=64)
    child_id: str = Field(max_length=64)
    received: date
    placement_sought: str = Field(max_length=30)
    needs: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sibling_group_size: int | None = None
    easting: int | None = None
    northing: int | None = None
    closed: date | None = None


TABLES = [
    *SHARED_TABLES,
    *(
        table_of(t)
        for t in (
            HomeRow,
            HomePlacesRow,
            VacancyRow,
            StayRow,
            MatchChildRow,
            MatchReferralRow,
            FeedEntryRow,
            FeedHeadRow,
            SubscriptionRow,
        )
    ),
]
