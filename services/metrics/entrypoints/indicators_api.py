"""GET /indicators and GET /indicators/{name}/series (JSON or CSV)."""

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from services.metrics.domain.indicators import Indicator
from services.metrics.entrypoints.schemas import IndicatorOut, IndicatorsOut, SeriesOut, SeriesPoint
from services.metrics.service_layer import queries
from shared.auth.keys import Principal, Scope
from shared.events.common import EARLIEST_DATE, SaneDate
from shared.http.auth import check_region, published_only, require

router = APIRouter(tags=["indicators"])
Reader = Annotated[Principal, Depends(require(Scope.INDICATORS_READ))]


def _scope(
    principal: Principal, regions: dict[str, list[str]], la: str | None, region: str | None
) -> bool:
    """Checks who may read what; True when only published (suppressed) figures may be."""
    if (la is None) == (region is None):
        raise HTTPException(422, "give exactly one of la or region")
    if la is not None:
        return published_only(principal, la, regions)
    assert region is not None
    check_region(principal, region)
    return True


def _out(ind: Indicator) -> IndicatorOut:
    return IndicatorOut(
        name=ind.name,
        breakdown=ind.breakdown,
        value=ind.value,
        numerator=ind.numerator,
        denominator=ind.denominator,
        unit=ind.unit,
        target=ind.target,
        rag=ind.rag,
        suppressed=getattr(ind, "suppressed", False),
    )


def _wants_csv(request: Request) -> bool:
    return "text/csv" in request.headers.get("accept", "")


def _csv(header: list[str], rows: list[list[object]]) -> Response:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return Response(buf.getvalue(), media_type="text/csv")


@router.get(
    "/indicators",
    response_model=IndicatorsOut,
    summary="Every indicator for an LA or a region, as of a date (default today)",
    responses={404: {"description": "Unknown LA or region"}},
)
async def indicators(
    request: Request,
    principal: Reader,
    la: str | None = None,
    region: str | None = None,
    as_of: SaneDate | None = None,
) -> Response | IndicatorsOut:
    state = request.app.state.metrics
    regions = state.regions()
    published = _scope(principal, regions, la, region)
    day = as_of or datetime.now(UTC).date()
    try:
        values = await run_in_threadpool(
            queries.for_scope,
            state.live,
            regions,
            la,
            region,
            day,
            state.settings.suppress_below,
            published,
        )
    except queries.UnknownScope as exc:
        raise HTTPException(404, str(exc)) from exc
    body = IndicatorsOut(la=la, region=region, as_of=day, indicators=[_out(v) for v in values])
    if _wants_csv(request):
        return _csv(
            ["as_of", "scope", *IndicatorOut.model_fields],
            [[day, la or region, *o.model_dump().values()] for o in body.indicators],
        )
    return body


@router.get(
    "/indicators/{name}/series",
    response_model=SeriesOut,
    summary="Points of one indicator over time, for charts and forecasts",
)
async def indicator_series(
    request: Request,
    principal: Reader,
    name: str,
    la: str | None = None,
    region: str | None = None,
    breakdown: str | None = None,
    from_: Annotated[SaneDate | None, Query(alias="from")] = None,
    to: SaneDate | None = None,
    interval: Literal["month", "day", "year"] = "month",
) -> Response | SeriesOut:
    state = request.app.state.metrics
    regions = state.regions()
    published = _scope(principal, regions, la, region)
    end = to or datetime.now(UTC).date()
    start = max(from_ or end - timedelta(days=365 * 3), EARLIEST_DATE)
    if start > end or (interval == "day" and (end - start).days > 3660):
        raise HTTPException(422, "from must be before to, and a daily series at most 10 years")
    try:
        points = await run_in_threadpool(
            queries.series,
            state.live,
            regions,
            name,
            breakdown,
            la,
            region,
            start,
            end,
            interval,
            state.settings.suppress_below,
            published,
        )
    except queries.UnknownScope as exc:
        raise HTTPException(404, str(exc)) from exc
    if all(p is None for _, p in points):
        raise HTTPException(404, f"no indicator {name!r} with breakdown {breakdown!r}")
    body = SeriesOut(
        name=name,
        breakdown=breakdown,
        la=la,
        region=region,
        interval=interval,
        points=[
            SeriesPoint(
                date=d,
                value=p.value if p else None,
                numerator=p.numerator if p else None,
                denominator=p.denominator if p else None,
            )
            for d, p in points
        ],
    )
    if _wants_csv(request):
        return _csv(
            ["date", "value", "numerator", "denominator"],
            [[p.date, p.value, p.numerator, p.denominator] for p in body.points],
        )
    return body
