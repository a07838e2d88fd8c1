"""Reading an LA's own children: journeys and open referrals (every read audited)."""

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from services.referrals.adapters import queries
from services.referrals.domain.journey_view import periods_of_care
from shared.auth.keys import Principal, Scope
from shared.events.common import SaneDate
from shared.http.auth import check_la, require
from shared.http.pages import PAGED, Paged, instant_key, int_key, text_key
from shared.http.runtime import Runtime

router = APIRouter(tags=["journey queries"])
Reader = Annotated[Principal, Depends(require(Scope.JOURNEY_READ))]


class Journey(BaseModel):
    la: str
    child_id: str
    periods: list[dict[str, Any]]


class OpenReferral(BaseModel):
    referral_id: str
    child_id: str
    received: date
    age_days: int
    urgency: str
    placement_sought: str


def _la(principal: Principal, la: str | None) -> str:
    target = la or principal.la
    if target is None:
        raise HTTPException(422, "give la")
    check_la(principal, target)
    return target


@router.get(
    "/children/{child_id}/journey",
    response_model=Journey,
    summary="A child's periods of care, placements and legal statuses (own LA only)",
)
async def journey(
    request: Request, child_id: str, principal: Reader, la: str | None = None
) -> Journey:
    runtime: Runtime = request.app.state.runtime
    owner = _la(principal, la)
    events = await run_in_threadpool(queries.journey_events, runtime.engine, owner, child_id)
    await run_in_threadpool(
        queries.audit, runtime.engine, principal.key_id, owner, "read_journey", child_id
    )
    if not events:
        raise HTTPException(404, f"no child {child_id} in {owner}")
    return Journey(
        la=owner, child_id=child_id, periods=[asdict(p) for p in periods_of_care(events)]
    )


@router.get(
    "/referrals/open",
    response_model=list[OpenReferral],
    summary="Open referrals of the LA, oldest first, with their age, a page at a time",
    responses=PAGED,
)
async def open_referrals(
    request: Request, principal: Reader, paging: Paged, la: str | None = None
) -> list[OpenReferral]:
    runtime: Runtime = request.app.state.runtime
    owner = _la(principal, la)
    after = paging.after(date.fromisoformat, text_key)
    found = await run_in_threadpool(
        queries.open_referrals, runtime.engine, owner, after, paging.fetch
    )
    rows = paging.page(found, lambda r: (r.received.isoformat(), r.referral_id))
    await run_in_threadpool(
        queries.audit,
        runtime.engine,
        principal.key_id,
        owner,
        "list_open_referrals",
        f"{len(rows)} referrals",
    )
    today = datetime.now(UTC).date()
    return [
        OpenReferral(
            referral_id=r.referral_id,
            child_id=r.child_id,
            received=r.received,
            age_days=(today - r.received).days,
            urgency=r.urgency,
            placement_sought=r.placement_sought,
        )
        for r in rows
    ]


@router.get(
    "/audit",
    summary="Who read this LA's child-level data, newest first, a page at a time",
    responses=PAGED,
)
async def audit_log(
    request: Request,
    principal: Reader,
    paging: Paged,
    la: str | None = None,
    since: SaneDate | None = None,
) -> list[dict[str, Any]]:
    runtime: Runtime = request.app.state.runtime
    owner = _la(principal, la)
    before = paging.after(instant_key, int_key)
    found = await run_in_threadpool(
        queries.audit_log, runtime.engine, owner, since, before, paging.fetch
    )
    rows = paging.page(found, lambda r: (r.at.isoformat(), str(r.id)))
    return [r.model_dump() for r in rows]
