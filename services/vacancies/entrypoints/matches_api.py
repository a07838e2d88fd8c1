"""POST /matches: open vacancies (own and shared in the region) ranked for a referral."""

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from services.vacancies.domain.homes import point
from services.vacancies.domain.matching import Referral
from services.vacancies.domain.scoring import METRES_PER_MILE, TARGET_METRES
from services.vacancies.entrypoints.deps import SupplyReader, engine, own_la
from services.vacancies.service_layer import matching as svc
from shared.events.common import GridRef, Need, WeeklyPounds
from shared.events.feed import postcode_district
from shared.events.journey import PlacementSought

router = APIRouter(tags=["matching"])
Db = Annotated[Engine, Depends(engine)]


class MatchRequest(BaseModel):
    """A referral inline, or `referral_id` of one received on the journey topic;
    fields given inline override the stored referral's."""

    referral_id: str | None = None
    placement_sought: PlacementSought | None = None
    needs: list[Need] | None = None
    # Strict numbers: `false` is not a price of 0, nor `true` an age of 1.
    age: Annotated[int, Field(ge=0, le=25, strict=True)] | None = None
    location: GridRef | None = Field(None, description="The child's home, OS grid metres")
    sibling_group_size: Annotated[int, Field(ge=1, strict=True)] | None = None
    max_weekly_price: Annotated[WeeklyPounds, Field(strict=True)] | None = None
    framework_price: Annotated[WeeklyPounds, Field(strict=True)] | None = None
    framework: str | None = Field(None, examples=["D2N2"])
    limit: Annotated[int, Field(ge=1, le=200, strict=True)] = 20


class ReasonOut(BaseModel):
    criterion: str
    points: float
    detail: str


class MatchOut(BaseModel):
    rank: int
    vacancy_id: str
    owner_la: str
    own: bool
    home_id: str | None = Field(description="Only for the LA's own homes")
    kind: str
    provider: str
    location_la: str
    postcode_district: str | None
    places_left: int
    status: str
    age_min: int
    age_max: int
    ofsted_rating: str
    weekly_price: float | None
    score: float
    needs_met: bool
    unmet_needs: list[str]
    distance_miles: float | None
    within_20_miles: bool | None
    reasons: list[ReasonOut]


class MatchReport(BaseModel):
    referral_id: str | None
    considered: int
    matches: list[MatchOut]


def _referral(db: Engine, la: str, body: MatchRequest, today: date) -> Referral:
    if body.referral_id:
        try:
            base = svc.stored_referral(db, la, body.referral_id, today)
        except svc.UnknownReferral as exc:
            raise HTTPException(404, f"no referral {body.referral_id} in {la}") from exc
    elif body.placement_sought is None:
        raise HTTPException(422, "give referral_id, or placement_sought and the referral inline")
    else:
        base = Referral(placement_sought=body.placement_sought)
    return svc.override(
        base,
        placement_sought=body.placement_sought and str(body.placement_sought),
        needs=None if body.needs is None else tuple(str(n) for n in body.needs),
        age=body.age,
        location=point(body.location),
        sibling_group_size=body.sibling_group_size,
        max_weekly_price=body.max_weekly_price,
        framework_price=body.framework_price,
        framework=body.framework,
    )


def _out(n: int, r: svc.Ranked, la: str) -> MatchOut:
    m, h, v = r.match, r.home, r.vacancy
    d = m.distance_m
    return MatchOut(
        rank=n,
        vacancy_id=v.vacancy_id,
        owner_la=h.owner_la,
        own=h.owner_la == la,
        home_id=h.home_id if h.owner_la == la else None,
        kind=h.kind,
        provider=h.provider,
        location_la=h.location_la,
        postcode_district=postcode_district(h.postcode),
        places_left=v.places_left,
        status=v.status,
        age_min=v.age_min,
        age_max=v.age_max,
        ofsted_rating=h.ofsted_rating,
        weekly_price=h.weekly_price,
        score=m.score,
        needs_met=m.needs_met,
        unmet_needs=list(m.unmet_needs),
        distance_miles=None if d is None else round(d / METRES_PER_MILE, 1),
        within_20_miles=None if d is None else d <= TARGET_METRES,
        reasons=[
            ReasonOut(criterion=x.criterion, points=x.points, detail=x.detail) for x in m.reasons
        ],
    )


@router.post(
    "/matches",
    response_model=MatchReport,
    summary="Rank vacancies for a referral",
    responses={404: {"description": "No such referral in your LA"}},
)
async def matches(principal: SupplyReader, db: Db, body: MatchRequest) -> MatchReport:
    la = own_la(principal)
    referral = await run_in_threadpool(_referral, db, la, body, datetime.now(UTC).date())
    considered, ranked = await run_in_threadpool(
        svc.match, db, la, referral, body.referral_id, body.limit
    )
    return MatchReport(
        referral_id=body.referral_id,
        considered=considered,
        matches=[_out(i, r, la) for i, r in enumerate(ranked, start=1)],
    )
