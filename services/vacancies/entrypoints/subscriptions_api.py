"""Webhook subscriptions to the shared feed: create (the secret is shown once), list,
resume after a pause, delete. A subscription is the key's that made it: another key,
even of the same LA, gets 404. Deliveries are signed (Standard Webhooks headers and
X-Signature-256), and only to hosts that resolve to public addresses or that the
operator's allow-list names."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import AnyHttpUrl, BaseModel, Field
from sqlalchemy import Engine

from services.vacancies.adapters import feed_log, subscriptions
from services.vacancies.adapters.feed_tables import SubscriptionRow
from services.vacancies.domain.delivery import resumed
from services.vacancies.domain.signature import new_secret
from services.vacancies.entrypoints.deps import FeedReader, engine, region_for, settings
from services.vacancies.service_layer import targets
from services.vacancies.settings import VacanciesSettings
from shared.auth.keys import Principal
from shared.events.common import MAX_SEQ

router = APIRouter(tags=["shared vacancy feed"])
Db = Annotated[Engine, Depends(engine)]


class SubscriptionIn(BaseModel):
    url: AnyHttpUrl
    from_cursor: int | None = Field(
        None,
        ge=0,
        le=MAX_SEQ,
        description="Deliver entries after this seq; unset: only new entries",
    )


class SubscriptionOut(BaseModel):
    id: str
    url: str
    region: str
    status: str = Field(description="active, failing (retrying with backoff) or paused")
    cursor: int = Field(description="The seq of the last entry delivered")
    created_at: datetime
    failures: int
    failing_since: datetime | None
    next_attempt_at: datetime | None
    last_error: str | None = Field(
        description="'failed' when the last attempt failed: what the target answered is "
        "never shown (operators find it in the service's log)"
    )
    last_delivered_at: datetime | None
    paused_at: datetime | None


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(
        description="Shown once: the signing key (whsec_<base64>) of webhook-signature "
        "(Standard Webhooks) and of X-Signature-256"
    )


def _out(row: SubscriptionRow) -> SubscriptionOut:
    out = SubscriptionOut.model_validate(row, from_attributes=True)
    return out.model_copy(update={"last_error": "failed" if row.last_error else None})


def _mine(db: Engine, principal: Principal, sub_id: str) -> SubscriptionRow:
    row = subscriptions.get(db, sub_id)
    if (
        row is None
        or not subscriptions.owned_by(principal.key_id, principal.la, row)
        or row.region != region_for(principal)
    ):
        raise HTTPException(404, f"no subscription {sub_id} of yours")
    return row


@router.post(
    "/feed/subscriptions",
    status_code=201,
    response_model=SubscriptionCreated,
    responses={
        409: {"description": "the key already holds WEBHOOK_MAX_SUBSCRIPTIONS subscriptions"},
        422: {"description": "the URL's host is or resolves to a refused address"},
    },
)
async def subscribe(
    principal: FeedReader,
    db: Db,
    conf: Annotated[VacanciesSettings, Depends(settings)],
    body: SubscriptionIn,
) -> SubscriptionCreated:
    region = region_for(principal)
    try:
        await targets.check(str(body.url), conf.webhook_address_policy())
    except targets.RefusedTarget as exc:
        raise HTTPException(422, f"webhook url refused: {exc}") from exc
    cursor = body.from_cursor
    if cursor is None:
        cursor = await run_in_threadpool(feed_log.last_seq, db)
    secret = new_secret()
    try:
        row = await run_in_threadpool(
            subscriptions.create,
            db,
            principal.key_id,
            principal.la,
            region,
            str(body.url),
            secret,
            cursor,
            conf.webhook_max_subscriptions,
        )
    except subscriptions.SubscriptionLimit as exc:
        raise HTTPException(409, str(exc)) from exc
    return SubscriptionCreated(**_out(row).model_dump(), secret=secret)


@router.get("/feed/subscriptions", response_model=list[SubscriptionOut])
async def list_subscriptions(principal: FeedReader, db: Db) -> list[SubscriptionOut]:
    rows = await run_in_threadpool(
        subscriptions.of_key, db, principal.key_id, principal.la, region_for(principal)
    )
    return [_out(r) for r in rows]


@router.post("/feed/subscriptions/{sub_id}/resume", response_model=SubscriptionOut)
async def resume(principal: FeedReader, db: Db, sub_id: str) -> SubscriptionOut:
    """A paused subscription tries again at once, from where it stopped."""
    row = await run_in_threadpool(_mine, db, principal, sub_id)
    state = resumed(subscriptions.state_of(row))
    now = datetime.now(UTC)
    await run_in_threadpool(subscriptions.record, db, sub_id, state, now, None)
    return _out(await run_in_threadpool(_mine, db, principal, sub_id))


@router.delete("/feed/subscriptions/{sub_id}", status_code=204)
async def unsubscribe(principal: FeedReader, db: Db, sub_id: str) -> Response:
    await run_in_threadpool(_mine, db, principal, sub_id)
    await run_in_threadpool(subscriptions.delete, db, sub_id)
    return Response(status_code=204)
