"""The home registry (pure): registering, updating and deregistering a home.

Foster households are pseudonymous: they never carry a name. Every change to
the number of registered places is kept as (since, places) so occupancy can be
answered as of any past date; deregistration is places 0 from that date.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime

from shared.events.common import GridRef, HomeKind
from shared.events.supply import HomeRegisteredData, HomeUpdatedData

Point = tuple[int, int]


@dataclass(frozen=True)
class Home:
    home_id: str
    owner_la: str
    kind: str
    provider: str
    location_la: str
    registered_places: int
    age_min: int
    age_max: int
    ofsted_rating: str
    share_regionally: bool
    registered_on: date
    updated_at: datetime
    name: str | None = None
    urn: str | None = None
    postcode: str | None = None
    location: Point | None = None
    specialisms: tuple[str, ...] = ()
    weekly_price: float | None = None
    frameworks: tuple[str, ...] = ()
    deregistered_on: date | None = None

    @property
    def active(self) -> bool:
        return self.deregistered_on is None

    @property
    def is_foster(self) -> bool:
        return self.kind == HomeKind.FOSTER_HOUSEHOLD


def point(grid: GridRef | None) -> Point | None:
    return None if grid is None else (grid.easting, grid.northing)


def register(data: HomeRegisteredData, at: datetime) -> Home:
    return Home(
        home_id=data.home_id,
        owner_la=data.owner_la,
        kind=str(data.kind),
        provider=str(data.provider),
        location_la=data.location_la,
        registered_places=data.registered_places,
        age_min=data.age_min,
        age_max=data.age_max,
        ofsted_rating=str(data.ofsted_rating),
        share_regionally=data.share_regionally,
        registered_on=at.date(),
        updated_at=at,
        name=None if data.kind is HomeKind.FOSTER_HOUSEHOLD else data.name,
        urn=data.urn,
        postcode=data.postcode.upper() if data.postcode else None,
        location=point(data.location),
        specialisms=tuple(str(n) for n in data.specialisms),
        weekly_price=data.weekly_price,
        frameworks=tuple(data.frameworks),
    )


def update(home: Home, data: HomeUpdatedData, at: datetime) -> Home:
    """Fields given replace the old ones; fields left out keep theirs."""
    changes: dict[str, object] = {
        name: value
        for name in (
            "urn",
            "name",
            "location_la",
            "registered_places",
            "age_min",
            "age_max",
            "weekly_price",
            "share_regionally",
        )
        if (value := getattr(data, name)) is not None
    }
    if data.postcode is not None:
        changes["postcode"] = data.postcode.upper()
    if data.location is not None:
        changes["location"] = point(data.location)
    if data.specialisms is not None:
        changes["specialisms"] = tuple(str(n) for n in data.specialisms)
    if data.ofsted_rating is not None:
        changes["ofsted_rating"] = str(data.ofsted_rating)
    if data.frameworks is not None:
        changes["frameworks"] = tuple(data.frameworks)
    return replace(home, updated_at=at, **changes)  # type: ignore[arg-type]


def deregister(home: Home, day: date, at: datetime) -> Home:
    return replace(home, deregistered_on=day, updated_at=at)
