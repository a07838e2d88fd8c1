"""SSDA903 files over HTTP: upload a return to import, download a year's episodes.

A file-level problem answers 422 at once and changes nothing. A small upload
is imported while the request waits (200 and the report); one over
`SSDA903_ASYNC_BYTES` answers 202 with a job id and a status URL, and the
import runs in the background (GET the status URL for progress and report).
"""

import json
import logging
import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import Engine

from services.referrals.adapters import import_jobs, queries
from services.referrals.domain.ssda903.files import FileRefused, decode
from services.referrals.service_layer.ssda903_export import (
    export_episodes,
    export_uasc,
    left_open,
)
from services.referrals.service_layer.ssda903_import import (
    ImportOutcome,
    check_return,
    directory_from,
    import_903,
    report_rows,
)
from shared.auth.keys import Principal, Scope
from shared.http.auth import check_la, require
from shared.http.capacity import Capacity, Slot
from shared.http.errors import ApiError, ErrorBody, FieldProblem
from shared.http.runtime import Runtime

router = APIRouter(prefix="/ssda903", tags=["SSDA903 returns"])
log = logging.getLogger(__name__)


class Problem(BaseModel):
    kind: str  # error (row refused), warning (row kept, field ignored), left_open, kept_earlier
    file: str
    year: int | None
    line: str  # the line, or lines joined by ';' (a child without a header: all its rows)
    child: str | None
    column: str | None
    reason: str
    rule: str | None  # the DfE validation rule number, where one applies
    message: str


class ImportSummary(BaseModel):
    year: int | None
    encodings: dict[str, str]  # file -> utf-8, cp1252 or latin-1
    episodes_read: int
    episodes_imported: int
    episodes_superseded: int
    episodes_rejected: int
    episodes_rejected_after_refusal: int  # refused only because an earlier one was
    episodes_kept_earlier: int  # earlier versions left in force for rejected rows
    no_header_children: int
    no_header_rows: int
    uasc_read: int
    uasc_imported: int
    warnings: int
    children_left_open: list[str]
    events_accepted: int
    events_duplicate: int
    events_corrected: int  # earlier events retracted: the later return corrected them
    events_withdrawn: int  # earlier events retracted: no return gives them any more
    errors: list[Problem]
    warnings_and_notes: list[Problem]


class FileProblem(ErrorBody):
    """The one error body, naming the refused file and why."""

    detail: str = "the return was refused: nothing was stored"
    file: str
    reason: str
    message: str


class JobAccepted(BaseModel):
    job_id: str
    status: str
    status_url: str


class JobStatus(BaseModel):
    job_id: str
    la: str
    status: str  # running, done, refused, failed, interrupted (the service stopped)
    done: int
    total: int
    result: dict[str, Any] | None


def summary(outcome: ImportOutcome) -> ImportSummary:
    r = outcome.report
    problems = [
        Problem(
            kind=k, file=f, year=int(y) if y else None, line=ln, child=c or None,
            column=col or None, reason=reason, rule=rule or None, message=m,
        )
        for k, f, y, ln, c, col, reason, rule, m in report_rows(outcome)
    ]  # fmt: skip
    return ImportSummary(
        year=outcome.year,
        encodings=outcome.encodings,
        episodes_read=r.episodes_read,
        episodes_imported=r.episodes_imported,
        episodes_superseded=r.episodes_superseded,
        episodes_rejected=r.episodes_rejected,
        episodes_rejected_after_refusal=r.rejected_after_refusal,
        episodes_kept_earlier=len(r.carried),
        no_header_children=r.no_header_children,
        no_header_rows=r.no_header_rows,
        uasc_read=r.uasc_read,
        uasc_imported=r.uasc_imported,
        warnings=len(r.warnings),
        children_left_open=[o.child for o in r.left_open],
        events_accepted=outcome.accepted,
        events_duplicate=outcome.duplicates,
        events_corrected=outcome.corrected,
        events_withdrawn=outcome.withdrawn,
        errors=[p for p in problems if p.kind == "error"],
        warnings_and_notes=[p for p in problems if p.kind != "error"],
    )


def refused(exc: FileRefused) -> ApiError:
    return ApiError(422, file_problem(exc).model_dump(exclude_none=True))


def file_problem(exc: FileRefused) -> FileProblem:
    problem = FieldProblem(pointer=f"/body/{exc.file}", reason=exc.reason, message=exc.message)
    return FileProblem(file=exc.file, reason=exc.reason, message=exc.message, errors=[problem])


async def _bytes(upload: UploadFile | None) -> bytes | None:
    return None if upload is None else await upload.read()


@router.post(
    "/imports",
    response_model=ImportSummary,
    summary="Import a return (header, episodes and UASC CSV)",
    responses={
        202: {"model": JobAccepted, "description": "a large return, imported in the background"},
        422: {
            "model": ErrorBody,
            "description": "a file-level problem: nothing stored (the body also names the "
            "`file`, the `reason` and the `message`)",
        },
    },
)
async def upload(
    request: Request,
    principal: Annotated[Principal, Depends(require(Scope.JOURNEY_WRITE))],
    header: Annotated[UploadFile, File(description="Header CSV: CHILD, SEX, DOB, ETHNIC...")],
    episodes: Annotated[UploadFile, File(description="Episodes CSV: CHILD, DECOM, RNE, LS...")],
    uasc: Annotated[UploadFile | None, File(description="UASC CSV: CHILD, SEX, DOB, DUC")] = None,
    postcodes: Annotated[UploadFile | None, File(description="ONS Postcode Directory CSV")] = None,
    year: Annotated[
        int | None,
        Query(
            description="Collection year, e.g. 2024 for 2024-25; one the code lists do not "
            "know refuses the return (422 year_not_known)"
        ),
    ] = None,
) -> Any:
    if principal.la is None:
        raise HTTPException(403, "an LA key is needed to import that LA's return")
    slots: Capacity = request.app.state.import_slots
    slot = slots.take()
    try:
        return await _import(request, principal.la, slot, header, episodes, uasc, postcodes, year)
    finally:
        slot.release_unless_handed_over()


async def _import(
    request: Request,
    la: str,
    slot: Slot,
    header: UploadFile,
    episodes: UploadFile,
    uasc: UploadFile | None,
    postcodes: UploadFile | None,
    year: int | None,
) -> Any:
    runtime: Runtime = request.app.state.runtime
    given = {"header": await _bytes(header), "episodes": await _bytes(episodes)}
    if uasc is not None:
        given["uasc"] = await _bytes(uasc)
    try:
        decoded = {name: decode(data or b"", name) for name, data in given.items()}
        texts = {name: d.text for name, d in decoded.items()}
        await run_in_threadpool(
            check_return, la, texts["header"], texts["episodes"], year, texts.get("uasc")
        )
    except FileRefused as exc:
        raise refused(exc) from exc
    raw_postcodes = await _bytes(postcodes)
    directory = directory_from(None if raw_postcodes is None else decode(raw_postcodes, "p").text)
    encodings = {name: d.encoding for name, d in decoded.items()}
    size = sum(len(d or b"") for d in given.values())
    job = _Job(runtime, la, texts, year, directory, encodings)
    if size > request.app.state.ssda903_async_bytes:
        job_id = await run_in_threadpool(
            import_jobs.create, runtime.engine, la, runtime.leadership.replica_id
        )
        background = threading.Thread(
            target=job.run_in_background, args=(job_id, slot.release), daemon=True
        )
        background.start()
        slot.hand_over()  # only once the job runs: else the request gives it back
        url = str(request.url_for("import_status", job_id=job_id).path)
        body = JobAccepted(job_id=job_id, status="running", status_url=url)
        return JSONResponse(body.model_dump(), status_code=202, headers={"Location": url})
    try:
        outcome = await run_in_threadpool(job.run)
    except FileRefused as exc:
        raise refused(exc) from exc
    runtime.notify_outbox()
    return summary(outcome)


class _Job:
    """One import: run while the request waits, or in a thread recording its progress."""

    def __init__(
        self,
        runtime: Runtime,
        la: str,
        texts: dict[str, str],
        year: int | None,
        directory: Any,
        encodings: dict[str, str],
    ) -> None:
        self.runtime, self.la, self.texts, self.year = runtime, la, texts, year
        self.directory, self.encodings = directory, encodings

    def run(self, progress: Any = None) -> ImportOutcome:
        outcome = import_903(
            self.runtime.engine,
            self.la,
            self.texts["header"],
            self.texts["episodes"],
            self.year,
            self.directory,
            progress or (lambda done, total: None),
            uasc=self.texts.get("uasc"),
        )
        outcome.encodings = self.encodings
        return outcome

    def run_in_background(self, job_id: str, release: Callable[[], None]) -> None:
        try:
            self._run_in_background(job_id)
        finally:
            release()

    def _run_in_background(self, job_id: str) -> None:
        engine: Engine = self.runtime.engine
        try:
            outcome = self.run(lambda done, n: import_jobs.progress(engine, job_id, done, n))
        except FileRefused as exc:
            body = file_problem(exc).model_dump(exclude_none=True)
            import_jobs.finish(engine, job_id, "refused", body)
            return
        except Exception as exc:  # the job records it; the service goes on
            log.exception("903 import job %s failed", job_id)
            import_jobs.finish(engine, job_id, "failed", {"detail": type(exc).__name__})
            return
        import_jobs.finish(engine, job_id, "done", summary(outcome).model_dump(mode="json"))
        self.runtime.notify_outbox()


@router.get(
    "/imports/{job_id}",
    response_model=JobStatus,
    name="import_status",
    summary="A background import's progress and, when done, its report",
)
async def import_status(
    request: Request,
    job_id: str,
    principal: Annotated[Principal, Depends(require(Scope.JOURNEY_WRITE))],
) -> JobStatus:
    runtime: Runtime = request.app.state.runtime
    row = await run_in_threadpool(import_jobs.get, runtime.engine, job_id)
    if row is None or row.la != principal.la:
        raise HTTPException(404, "no such import job for this LA")
    return JobStatus(
        job_id=row.job_id,
        la=row.la,
        status=row.status,
        done=row.done,
        total=row.total,
        result=None if row.result is None else json.loads(row.result),
    )


def _owner(principal: Principal, la: str | None) -> str:
    owner = la or principal.la
    if owner is None:
        raise HTTPException(422, "give la")
    check_la(principal, owner)
    return owner


CSV_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}}
}
Reader = Annotated[Principal, Depends(require(Scope.JOURNEY_READ))]
LEFT_OPEN_NAMED = 100
Year = Annotated[int, Query(ge=1900, le=2099, description="Collection year")]


@router.get(
    "/episodes",
    response_class=Response,
    summary="The episodes table of a collection year, as CSV",
    responses=CSV_FILE,
)
async def episodes_csv(
    request: Request, principal: Reader, year: Year, la: str | None = None
) -> Response:
    runtime: Runtime = request.app.state.runtime
    owner = _owner(principal, la)
    text = await _exported(runtime, principal, export_episodes, owner, year, "export_903")
    headers = {"Content-Disposition": f'attachment; filename="episodes-{owner}-{year}.csv"'}
    still = await run_in_threadpool(left_open, runtime.engine, owner)
    if still:  # children in care only because their later episodes were refused
        headers["SSDA903-Left-Open-Count"] = str(len(still))
        # The first ones only: clients refuse long headers (httpx: 16 KB in all).
        headers["SSDA903-Left-Open"] = ",".join(r["CHILD"] for r in still[:LEFT_OPEN_NAMED])
    return Response(text, media_type="text/csv", headers=headers)


@router.get(
    "/uasc",
    response_class=Response,
    summary="The UASC file of a collection year, as CSV",
    responses=CSV_FILE,
)
async def uasc_csv(
    request: Request, principal: Reader, year: Year, la: str | None = None
) -> Response:
    runtime: Runtime = request.app.state.runtime
    owner = _owner(principal, la)
    text = await _exported(runtime, principal, export_uasc, owner, year, "export_903_uasc")
    headers = {"Content-Disposition": f'attachment; filename="uasc-{owner}-{year}.csv"'}
    return Response(text, media_type="text/csv", headers=headers)


async def _exported(
    runtime: Runtime,
    principal: Principal,
    export: Callable[[Engine, str, int], str],
    owner: str,
    year: int,
    action: str,
) -> str:
    """A file of the LA's return, its reading audited."""
    text = await run_in_threadpool(export, runtime.engine, owner, year)
    await run_in_threadpool(
        queries.audit, runtime.engine, principal.key_id, owner, action, str(year)
    )
    return text
