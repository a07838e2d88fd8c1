"""One error body for every non-2xx answer of every service (README: API conventions).

`{"detail": "...", "errors": [{"pointer", "reason", "message", "index"?}]}`: FastAPI's
own `{"detail": [...]}` validation answer and plain HTTPExceptions are rewritten
into it, so a client parses one shape whatever went wrong.
"""

import json
import re
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.ingest.errors import pointer


class FieldProblem(BaseModel):
    """What is wrong with one field of the request."""

    pointer: str = Field(
        description="RFC 6901 pointer: into the event for POST /events, else "
        "/query/<name>, /path/<name>, /header/<name> or /body/..."
    )
    reason: str = Field(description="A stable machine-readable code, e.g. date_out_of_range")
    message: str = Field(description="The same, for a person")
    index: int | None = Field(
        default=None, description="The event's place in the batch (POST /events only)"
    )


class ErrorBody(BaseModel):
    """The body of every 4xx (and 5xx) answer."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "detail": "invalid request: nothing was changed",
                    "errors": [
                        {
                            "pointer": "/query/as_of",
                            "reason": "date_out_of_range",
                            "message": "a date from 1900-01-01 to 2099-12-31",
                        }
                    ],
                }
            ]
        }
    )

    detail: str = Field(description="What went wrong, for a person")
    errors: list[FieldProblem] = Field(
        default_factory=list, description="Field-level reasons; empty when none applies"
    )
    ids: list[str] | None = Field(
        default=None, description="Event ids concerned (409: an id reused with another body)"
    )


class ApiError(Exception):
    def __init__(self, status_code: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("detail", ""))
        self.status_code, self.body = status_code, body


def field_error(
    status_code: int, where: tuple[str | int, ...], reason: str, message: str
) -> ApiError:
    """An ApiError naming one field, e.g. field_error(422, ("query", "as_of"), ...)."""
    problem = FieldProblem(pointer=pointer(*where), reason=reason, message=message)
    return ApiError(status_code, {"detail": message, "errors": [problem.model_dump()]})


def body_of(detail: Any) -> dict[str, Any]:
    """An ErrorBody dict from an HTTPException detail (a string, or a dict with errors)."""
    if isinstance(detail, dict):
        out = {"detail": str(detail.get("detail", "invalid request")), **detail}
        out.setdefault("errors", [])
        return out
    return {"detail": str(detail), "errors": []}


def allowed_methods(request: Request) -> list[str]:
    """Every method the API document lists at this path. Starlette's 405 names only
    the first matching route's, when GET and POST of one path are separate routes."""
    methods: set[str] = set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, request.url.path):
            methods |= {m.upper() for m in operations}
    return sorted(methods | ({"HEAD"} if "GET" in methods else set()))


def _validation_body(exc: RequestValidationError) -> dict[str, Any]:
    problems = [
        FieldProblem(pointer=pointer(*err["loc"]), reason=err["type"], message=err["msg"])
        for err in exc.errors()
    ]
    return ErrorBody(detail="invalid request: nothing was changed", errors=problems).model_dump(
        exclude_none=True
    )


log = structlog.get_logger()
# Seconds a client is asked to wait before sending again while the database is away.
RETRY_AFTER = "1"


def database_unavailable(exc: Exception) -> bool:
    """The database could not be reached or its connection broke (a restart, a
    crash, a full pool, SQLite's write lock held too long): the request changed
    nothing, and the same request may succeed when sent again."""
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def install(app: FastAPI) -> None:
    @app.exception_handler(DBAPIError)
    @app.exception_handler(PoolTimeout)
    async def _database(request: Request, exc: Exception) -> JSONResponse:
        if not database_unavailable(exc):
            raise exc
        log.warning("http.database_unavailable", path=request.url.path, error=repr(exc)[:300])
        return JSONResponse(
            body_of("database unavailable: nothing was changed, send the request again"),
            status_code=503,
            headers={"Retry-After": RETRY_AFTER},
        )

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(body_of(exc.body), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(_validation_body(exc), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = getattr(exc, "headers", None)
        allowed = allowed_methods(request) if exc.status_code == 405 else []
        if allowed:
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        return JSONResponse(body_of(exc.detail), status_code=exc.status_code, headers=headers)


def error_json(detail: str, **extra: Any) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """The API's error body, encoded for code below FastAPI (ASGI middleware)."""
    body = json.dumps({"detail": detail, "errors": [], **extra}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    return body, headers
