"""SSDA903 files over HTTP: upload a return to import, download a year's episodes."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel

from services.referrals.adapters import queries
from services.referrals.service_layer.ssda903_export import export_episodes
from services.referrals.service_layer.ssda903_import import directory_from, import_903
from shared.auth.keys import Principal, Scope
from shared.http.auth import check_la, require
from shared.http.errors import field_error
from shared.http.runtime import Runtime

router = APIRouter(prefix="/ssda903", tags=["SSDA903 returns"])


class Rejection(BaseModel):
    file: str
    line: int | None
    child: str | None
    column: str | None
    reason: str
    message: str


class ImportSummary(BaseModel):
    year: int | None
    episodes_read: int
    episodes_imported: int
    episodes_superseded: int
    episodes_rejected: int
    events_accepted: int
    events_duplicate: int
    events_corrected: int  # earlier events retracted: the later return corrected them
    events_withdrawn: int  # earlier events retracted: no return gives them any more
    rejected: list[Rejection]


async def _text(upload: UploadFile | None, field: str) -> str | None:
    if upload is None:
        return None
    try:
        return (await upload.read()).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise field_error(422, ("body", field), "not_utf8", "the file is not UTF-8 text") from exc


@router.post(
    "/imports", response_model=ImportSummary, summary="Import a return (header and episodes CSV)"
)
async def upload(
    request: Request,
    principal: Annotated[Principal, Depends(require(Scope.JOURNEY_WRITE))],
    header: Annotated[UploadFile, File(description="Header CSV: CHILD, SEX, DOB, ETHNIC...")],
    episodes: Annotated[UploadFile, File(description="Episodes CSV: CHILD, DECOM, RNE, LS...")],
    postcodes: Annotated[UploadFile | None, File(description="ONS Postcode Directory CSV")] = None,
    year: Annotated[
        int | None, Query(ge=1900, le=2099, description="Collection year, e.g. 2024 for 2024-25")
    ] = None,
) -> ImportSummary:
    runtime: Runtime = request.app.state.runtime
    if principal.la is None:
        raise HTTPException(403, "an LA key is needed to import that LA's return")
    header_text, episodes_text = await _text(header, "header"), await _text(episodes, "episodes")
    assert header_text is not None and episodes_text is not None
    directory = directory_from(await _text(postcodes, "postcodes"))
    outcome = await run_in_threadpool(
        import_903,
        runtime.engine,
        principal.la,
        header_text,
        episodes_text,
        year,
        directory,
        lambda done, total: None,
    )
    runtime.notify_outbox()
    r = outcome.report
    rejected = [
        Rejection(
            file=e.file,
            line=e.row,
            child=e.child,
            column=e.column,
            reason=e.reason,
            message=e.message,
        )
        for e in r.rejected
    ]
    rejected += [
        Rejection(file="service", line=None, child=c, column=None, reason=reason, message=m)
        for c, reason, m in outcome.refused
    ]
    return ImportSummary(
        year=outcome.year,
        episodes_read=r.episodes_read,
        episodes_imported=r.episodes_imported,
        episodes_superseded=r.episodes_superseded,
        episodes_rejected=r.episodes_rejected,
        events_accepted=outcome.accepted,
        events_duplicate=outcome.duplicates,
        events_corrected=outcome.corrected,
        events_withdrawn=outcome.withdrawn,
        rejected=rejected,
    )


@router.get(
    "/episodes",
    response_class=Response,
    summary="The episodes table of a collection year, as CSV",
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def episodes_csv(
    request: Request,
    principal: Annotated[Principal, Depends(require(Scope.JOURNEY_READ))],
    year: Annotated[int, Query(ge=1900, le=2099, description="Collection year")],
    la: str | None = None,
) -> Response:
    runtime: Runtime = request.app.state.runtime
    owner = la or principal.la
    if owner is None:
        raise HTTPException(422, "give la")
    check_la(principal, owner)
    text = await run_in_threadpool(export_episodes, runtime.engine, owner, year)
    await run_in_threadpool(
        queries.audit, runtime.engine, principal.key_id, owner, "export_903", str(year)
    )
    return Response(
        text,
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="episodes-{owner}-{year}.csv"'},
    )
