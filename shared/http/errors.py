"""Errors whose JSON body is the API's, not FastAPI's {"detail": ...} wrapper."""

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


class ApiError(Exception):
    def __init__(self, status_code: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("detail", ""))
        self.status_code, self.body = status_code, body


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body, status_code=exc.status_code)


def error_json(detail: str, **extra: Any) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """The API's error body, encoded for code below FastAPI (ASGI middleware)."""
    body = json.dumps({"detail": detail, **extra}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    return body, headers
