"""GET /reports/sufficiency: the sufficiency assessment as HTML, PDF, CSV or XLSX."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from services.metrics.adapters.report import html, tabular
from services.metrics.adapters.report.forecast_client import ForecastClient
from services.metrics.adapters.report.pdf import PdfUnavailable, html_to_pdf
from services.metrics.domain.report.model import Report
from services.metrics.service_layer import report as reports
from services.metrics.service_layer.queries import UnknownScope
from services.metrics.settings import MetricsSettings
from shared.auth.keys import Principal, Scope
from shared.events.common import SaneDate
from shared.http.auth import check_region, published_only, require

router = APIRouter(tags=["reports"])
Reader = Annotated[Principal, Depends(require(Scope.INDICATORS_READ))]
Format = Literal["html", "pdf", "csv", "xlsx"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED: tuple[tuple[str, Format], ...] = (
    ("application/pdf", "pdf"),
    ("text/csv", "csv"),
    (XLSX, "xlsx"),
)


def _format(request: Request, suffix: str | None) -> Format:
    if suffix is not None:
        if suffix not in ("html", "pdf", "csv", "xlsx"):
            raise HTTPException(404, f"no report format {suffix!r}: html, pdf, csv or xlsx")
        return suffix  # type: ignore[return-value]
    accept = request.headers.get("accept", "")
    return next((fmt for media, fmt in ACCEPTED if media in accept), "html")


def _check(
    principal: Principal,
    regions: dict[str, list[str]],
    la: str | None,
    region: str | None,
    as_of: date,
) -> bool:
    """Refuses a bad question or a reader it is not for (the indicators' rules);
    returns whether the small-number rule applies (shared beyond the LA)."""
    if (la is None) == (region is None):
        raise HTTPException(422, "give exactly one of la or region")
    if region is not None:
        check_region(principal, region)
        hide = True
    else:
        hide = published_only(principal, str(la), regions)
    if as_of > datetime.now(UTC).date():
        raise HTTPException(422, "as_of is after today: the report is of figures held")
    return hide


def _links(request: Request) -> dict[str, str]:
    path = request.url.path.removesuffix(".html")
    for fmt in ("pdf", "csv", "xlsx"):
        path = path.removesuffix(f".{fmt}")
    query = f"?{request.url.query}" if request.url.query else ""
    return {fmt: f"{path}.{fmt}{query}" for fmt in ("pdf", "csv", "xlsx")}


async def _respond(request: Request, report: Report, fmt: Format) -> Response:
    name = f"sufficiency-{report.scope}-{report.as_of.isoformat()}"
    base = str(request.base_url).rstrip("/")
    if fmt == "csv":
        return _download(tabular.to_csv(report).encode(), "text/csv; charset=utf-8", f"{name}.csv")
    if fmt == "xlsx":
        return _download(await run_in_threadpool(tabular.to_xlsx, report), XLSX, f"{name}.xlsx")
    page = html.page(report, base, _links(request))
    if fmt == "html":
        return HTMLResponse(page)
    settings: MetricsSettings = request.app.state.metrics.settings
    async with _printer(request.app.state.pdf_printers, settings.report_pdf_wait_seconds):
        try:
            pdf = await run_in_threadpool(html_to_pdf, page, settings.chromium_path)
        except PdfUnavailable as exc:
            raise HTTPException(503, f"PDF unavailable: {exc}") from exc
    return _download(pdf, "application/pdf", f"{name}.pdf")


@asynccontextmanager
async def _printer(printers: asyncio.Semaphore, wait_seconds: float) -> AsyncIterator[None]:
    """One of REPORT_PDF_PRINTERS: each print is a Chromium of a few hundred MB,
    so requests at once must not start one each. A request that waits longer
    than REPORT_PDF_WAIT_SECONDS is a 503 that asks it to come back."""
    try:
        async with asyncio.timeout(wait_seconds):
            await printers.acquire()
    except TimeoutError:
        raise HTTPException(
            503, "every PDF printer is busy: try again shortly", headers={"Retry-After": "10"}
        ) from None
    try:
        yield
    finally:
        printers.release()


def _download(body: bytes, media: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def _report(
    request: Request,
    principal: Principal,
    la: str | None,
    region: str | None,
    as_of: date | None,
    suffix: str | None,
) -> Response:
    fmt = _format(request, suffix)
    day = as_of or datetime.now(UTC).date()
    state = request.app.state.metrics
    hide = _check(principal, state.regions(), la, region, day)
    try:
        scope = await run_in_threadpool(reports.scope_of, state, la, region)
    except UnknownScope as exc:
        raise HTTPException(404, str(exc)) from exc
    key = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    client = ForecastClient(
        state.settings.forecast_base(), key, state.settings.report_forecast_timeout_seconds
    )
    report = await reports.gather(state, client, scope, day, hide)
    return await _respond(request, report, fmt)


# Each form's media type, documented so a client knows what it may ask for.
REPORT_MEDIA: dict[str, dict[str, object]] = {
    "text/html": {"schema": {"type": "string"}},
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    "text/csv": {"schema": {"type": "string"}},
    XLSX: {"schema": {"type": "string", "format": "binary"}},
}


@router.get(
    "/reports/sufficiency",
    summary="The sufficiency assessment for an LA or region as of a date: HTML with SVG "
    "charts; Accept application/pdf, text/csv or the XLSX type for the other forms",
    response_class=HTMLResponse,
    responses={200: {"content": REPORT_MEDIA}, 404: {"description": "Unknown LA or region"}},
)
async def sufficiency_report(
    request: Request,
    principal: Reader,
    la: str | None = None,
    region: str | None = None,
    as_of: SaneDate | None = None,
) -> Response:
    return await _report(request, principal, la, region, as_of, None)


@router.get(
    "/reports/sufficiency.{suffix}",
    summary="The sufficiency assessment in the form the suffix names (html, pdf, csv, xlsx)",
    response_class=Response,
    responses={200: {"content": REPORT_MEDIA}, 404: {"description": "Unknown LA or region"}},
)
async def sufficiency_report_as(
    request: Request,
    principal: Reader,
    suffix: str,
    la: str | None = None,
    region: str | None = None,
    as_of: SaneDate | None = None,
) -> Response:
    return await _report(request, principal, la, region, as_of, suffix)


@router.get(
    "/reports/definitions",
    response_class=HTMLResponse,
    summary="What every figure of the report means (linked from each table)",
)
async def definitions() -> HTMLResponse:
    return HTMLResponse(html.definitions_page())
