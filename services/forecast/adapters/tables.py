"""The forecast service's own tables: observed series and published forecasts."""

import datetime as dt

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from shared.store.tables import SHARED_TABLES, table_of, utcnow


class Observation(SQLModel, table=True):
    """One value of a series for an LA at a date; a later revision replaces it."""

    __tablename__ = "observation"

    la: str = Field(primary_key=True, max_length=12)
    series: str = Field(primary_key=True, max_length=80)
    date: dt.date = Field(primary_key=True)
    value: float
    origin: str = Field(default="snapshot", max_length=20, description="snapshot or upload")
    revised_at: dt.datetime = Field(default_factory=utcnow)


class CareState(SQLModel, table=True):
    """A child's placement category from a date ("out" once they leave care)."""

    __tablename__ = "care_state"
    __table_args__ = (Index("ix_care_state_la_child", "la", "child_id"),)

    id: int | None = Field(default=None, primary_key=True)
    la: str = Field(max_length=12)
    child_id: str = Field(max_length=64)
    day: dt.date
    at: dt.datetime = Field(description="event time, to order a day's changes")
    state: str = Field(max_length=20)


class PublishedForecast(SQLModel, table=True):
    """The last forecast published per LA, series and model (to publish only changes)."""

    __tablename__ = "published_forecast"

    la: str = Field(primary_key=True, max_length=12)
    series: str = Field(primary_key=True, max_length=80)
    model: str = Field(primary_key=True, max_length=20)
    digest: str = Field(max_length=64)
    body: str = Field(sa_column=Column(Text, nullable=False))
    published_at: dt.datetime = Field(default_factory=utcnow)


TABLES = [*SHARED_TABLES, *(table_of(t) for t in (Observation, CareState, PublishedForecast))]
