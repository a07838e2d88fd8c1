"""HTTP answers for the ingest pipeline's outcomes (API.md)."""

from typing import Any

from pydantic import BaseModel

from shared.http.errors import ApiError, ErrorBody, FieldProblem
from shared.ingest.batch import Conflict, Pipeline, Rejected, Result, WrongLa, as_list
from shared.ingest.errors import EventError
from shared.ingest.group import GroupCommit


class EventResult(BaseModel):
    id: str
    status: str


class Accepted(BaseModel):
    results: list[EventResult]


REJECTED = "invalid events: none of the batch was stored"


def _problem(e: EventError) -> FieldProblem:
    return FieldProblem(index=e.index, pointer=e.pointer, reason=e.reason, message=e.message)


async def ingest_http(
    writer: GroupCommit, body: Any, caller_la: str | None, pipeline: Pipeline[Any]
) -> list[Result]:
    try:
        return await writer.submit(as_list(body), caller_la, pipeline)
    except Rejected as exc:
        raise ApiError(
            422,
            ErrorBody(detail=REJECTED, errors=[_problem(e) for e in exc.errors]).model_dump(
                exclude_none=True
            ),
        ) from exc
    except WrongLa as exc:
        raise ApiError(
            403, {"detail": f"event {exc.index} is for LA {exc.la}; the key is not"}
        ) from exc
    except Conflict as exc:
        raise ApiError(
            409, {"detail": "event id reused with a different body", "ids": exc.event_ids}
        ) from exc
