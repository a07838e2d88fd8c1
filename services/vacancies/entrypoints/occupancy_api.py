"""Occupancy of an LA's own homes, now or as of any past date."""

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from sqlalchemy import Engine

from services.vacancies.adapters import queries
from services.vacancies.domain.occupancy import Occupancy, occupancy, totals
from services.vacancies.entrypoints.deps import SupplyReader, engine, own_la
from shared.events.common import SaneDate
from shared.http.auth import check_la

router = APIRouter(tags=["occupancy"])
Db = Annotated[Engine, Depends(engine)]


class OccupancyOut(BaseModel):
    home_id: str
    as_of: date
    registered_places: int
    occupied_places: int
    vacant_places: int
    occupancy_ratio: float | None


class OccupancyReport(BaseModel):
    la: str
    as_of: date
    total: OccupancyOut
    homes: list[OccupancyOut]


def out(o: Occupancy) -> OccupancyOut:
    return OccupancyOut(
        home_id=o.home_id,
        as_of=o.as_of,
        registered_places=o.registered_places,
        occupied_places=o.occupied_places,
        vacant_places=o.vacant_places,
        occupancy_ratio=o.occupancy_ratio,
    )


def _occupancies(db: Engine, home_ids: list[str], day: date) -> list[Occupancy]:
    inputs = queries.places_and_stays(db, home_ids, day)
    return [occupancy(h, *inputs[h], day) for h in home_ids]


@router.get(
    "/homes/{home_id}/occupancy",
    response_model=OccupancyOut,
    summary="Registered and occupied places of one of the LA's homes (as_of: a past date)",
)
async def home_occupancy(
    principal: SupplyReader, db: Db, home_id: str, as_of: SaneDate | None = None
) -> OccupancyOut:
    home = await run_in_threadpool(queries.home, db, home_id)
    if home is None or home.owner_la != own_la(principal):
        raise HTTPException(404, f"no home {home_id} of yours")
    day = as_of or datetime.now(UTC).date()
    return out((await run_in_threadpool(_occupancies, db, [home_id], day))[0])


@router.get(
    "/occupancy",
    response_model=OccupancyReport,
    summary="Occupancy of every home the LA owns, with totals (own LA only)",
)
async def la_occupancy(
    principal: SupplyReader, db: Db, la: str | None = None, as_of: SaneDate | None = None
) -> OccupancyReport:
    owner = la or own_la(principal)
    check_la(principal, owner)
    day = as_of or datetime.now(UTC).date()
    homes = await run_in_threadpool(queries.homes, db, owner)
    items = await run_in_threadpool(_occupancies, db, [h.home_id for h in homes], day)
    items = [o for o in items if o.registered_places or o.occupied_places]
    return OccupancyReport(
        la=owner, as_of=day, total=out(totals(items, day)), homes=[out(o) for o in items]
    )
