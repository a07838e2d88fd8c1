"""Loading and saving homes as the domain sees them, and the lock of supply writers."""

from datetime import date

from sqlalchemy import update
from sqlmodel import Session, col, select

from services.vacancies.adapters.feed_tables import FeedHeadRow
from services.vacancies.adapters.tables import HomePlacesRow, HomeRow
from services.vacancies.domain.homes import Home
from shared.store import rows


def lock_supply(s: Session) -> None:
    """Serialise writers of homes, vacancies and the feed (a no-op write on one row):
    SQLite takes its write lock here, PostgreSQL a row lock. The lock lasts
    until the transaction ends, so it is taken once per transaction."""
    if s.info.get("supply_locked"):
        return
    s.info["supply_locked"] = True
    if s.get(FeedHeadRow, 1) is None:
        s.add(FeedHeadRow(id=1, last_seq=0))
        s.flush()
    head = col(FeedHeadRow.last_seq)
    s.execute(update(FeedHeadRow).where(col(FeedHeadRow.id) == 1).values(last_seq=head))


def to_home(r: HomeRow) -> Home:
    location = (r.easting, r.northing) if r.easting is not None and r.northing is not None else None
    return Home(
        home_id=r.home_id,
        owner_la=r.owner_la,
        kind=r.kind,
        provider=r.provider,
        location_la=r.location_la,
        registered_places=r.registered_places,
        age_min=r.age_min,
        age_max=r.age_max,
        ofsted_rating=r.ofsted_rating,
        share_regionally=r.share_regionally,
        registered_on=r.registered_on,
        updated_at=r.updated_at,
        name=r.name,
        urn=r.urn,
        postcode=r.postcode,
        location=location,
        specialisms=tuple(r.specialisms),
        weekly_price=r.weekly_price,
        frameworks=tuple(r.frameworks),
        deregistered_on=r.deregistered_on,
    )


def load_home(s: Session, home_id: str) -> Home | None:
    row = rows.get(s, HomeRow, home_id)
    return None if row is None else to_home(row)


def home_by_urn(s: Session, urn: str) -> Home | None:
    row = s.exec(select(HomeRow).where(HomeRow.urn == urn)).first()
    if row is None:
        return None
    rows.remember(s, [row])
    return to_home(row)


def save_home(s: Session, h: Home) -> None:
    row = rows.get(s, HomeRow, h.home_id) or HomeRow(
        home_id=h.home_id,
        owner_la=h.owner_la,
        kind=h.kind,
        provider=h.provider,
        location_la=h.location_la,
        registered_places=h.registered_places,
        age_min=h.age_min,
        age_max=h.age_max,
        ofsted_rating=h.ofsted_rating,
        registered_on=h.registered_on,
        updated_at=h.updated_at,
    )
    for name in (
        "location_la",
        "registered_places",
        "age_min",
        "age_max",
        "ofsted_rating",
        "share_regionally",
        "registered_on",
        "updated_at",
        "name",
        "urn",
        "postcode",
        "weekly_price",
        "deregistered_on",
    ):
        setattr(row, name, getattr(h, name))
    row.easting, row.northing = h.location or (None, None)
    row.specialisms, row.frameworks = list(h.specialisms), list(h.frameworks)
    rows.add(s, row)


def set_places(s: Session, home_id: str, since: date, places: int) -> None:
    row = rows.get(s, HomePlacesRow, (home_id, since)) or HomePlacesRow(
        home_id=home_id, since=since, places=places
    )
    row.places = places
    rows.add(s, row)
