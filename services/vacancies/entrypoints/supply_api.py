"""GET /vacancies (own LA) and GET /homes (own LA's, or another LA's shared ones)."""

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from sqlalchemy import Engine

from services.vacancies.adapters import queries
from services.vacancies.domain.homes import Home
from services.vacancies.domain.lifecycle import Status, Vacancy, hold_in_force
from services.vacancies.entrypoints.deps import SupplyReader, engine, own_la
from shared.events.common import GridRef
from shared.events.feed import postcode_district
from shared.http.pages import PAGED, Paged, instant_key, text_key
from shared.regions import same_region

router = APIRouter(tags=["homes and vacancies"])
Db = Annotated[Engine, Depends(engine)]


class HomeOut(BaseModel):
    home_id: str
    owner_la: str
    kind: str
    provider: str
    name: str | None
    urn: str | None
    location_la: str
    postcode: str | None
    postcode_district: str | None
    location: GridRef | None
    registered_places: int
    age_min: int
    age_max: int
    specialisms: list[str]
    ofsted_rating: str
    weekly_price: float | None
    frameworks: list[str]
    share_regionally: bool
    registered_on: date
    deregistered_on: date | None


class VacancyOut(BaseModel):
    vacancy_id: str
    home_id: str
    status: Status
    places: int
    places_left: int
    available_from: date
    expires_at: datetime | None
    held_for_referral: str | None
    hold_until: datetime | None
    suitable_for: list[str]
    age_min: int
    age_max: int
    opened_at: datetime
    updated_at: datetime
    placements: list[str]


def home_out(h: Home, own: bool) -> HomeOut:
    """Another LA sees a shared home without its full postcode, location or, for a
    foster household, anything that could identify it."""
    hide = not own
    return HomeOut(
        home_id=h.home_id,
        owner_la=h.owner_la,
        kind=h.kind,
        provider=h.provider,
        name=None if h.is_foster else h.name,
        urn=None if hide and h.is_foster else h.urn,
        location_la=h.location_la,
        postcode=None if hide else h.postcode,
        postcode_district=postcode_district(h.postcode),
        location=None
        if hide or h.location is None
        else GridRef(easting=h.location[0], northing=h.location[1]),
        registered_places=h.registered_places,
        age_min=h.age_min,
        age_max=h.age_max,
        specialisms=list(h.specialisms),
        ofsted_rating=h.ofsted_rating,
        weekly_price=h.weekly_price,
        frameworks=list(h.frameworks),
        share_regionally=h.share_regionally,
        registered_on=h.registered_on,
        deregistered_on=h.deregistered_on,
    )


def vacancy_out(v: Vacancy) -> VacancyOut:
    held_for, until = hold_in_force(v)
    return VacancyOut(
        vacancy_id=v.vacancy_id,
        home_id=v.home_id,
        status=v.status,
        places=v.places,
        places_left=v.places_left,
        available_from=v.available_from,
        expires_at=v.expires_at,
        held_for_referral=held_for,
        hold_until=until,
        suitable_for=list(v.suitable_for),
        age_min=v.age_min,
        age_max=v.age_max,
        opened_at=v.opened_at,
        updated_at=v.updated_at,
        placements=[p for p, _ in v.filled_by],
    )


@router.get(
    "/vacancies",
    response_model=list[VacancyOut],
    summary="The LA's own vacancies in the order opened, a page at a time",
    responses=PAGED,
)
async def list_vacancies(
    principal: SupplyReader, db: Db, paging: Paged, status: Status | None = None
) -> list[VacancyOut]:
    after = paging.after(instant_key, text_key)
    rows = await run_in_threadpool(
        queries.vacancies, db, own_la(principal), status, after, paging.fetch
    )
    shown = paging.page(rows, lambda v: (v.opened_at.isoformat(), v.vacancy_id))
    return [vacancy_out(v) for v in shown]


@router.get(
    "/homes",
    response_model=list[HomeOut],
    summary="The LA's own homes (all), or with ?la= another LA's homes shared in the region; "
    "in id order, a page at a time",
    responses=PAGED,
)
async def list_homes(
    principal: SupplyReader, db: Db, paging: Paged, la: str | None = None
) -> list[HomeOut]:
    mine = own_la(principal)
    owner = la or mine
    if owner != mine and not same_region(mine, owner):
        raise HTTPException(403, f"{owner} is not in your region")
    after = paging.after(text_key)
    last_id: str | None = after[0] if after else None
    rows = await run_in_threadpool(queries.homes, db, owner, owner != mine, last_id, paging.fetch)
    return [home_out(h, owner == mine) for h in paging.page(rows, lambda h: (h.home_id,))]


@router.get("/homes/{home_id}", response_model=HomeOut, summary="One home")
async def get_home(principal: SupplyReader, db: Db, home_id: str) -> HomeOut:
    mine = own_la(principal)
    h = await run_in_threadpool(queries.home, db, home_id)
    visible = h is not None and (
        h.owner_la == mine or (h.share_regionally and h.active and same_region(mine, h.owner_la))
    )
    if h is None or not visible:
        raise HTTPException(404, f"no home {home_id} you can see")
    return home_out(h, h.owner_la == mine)
