"""Reference data over HTTP: populations, targets, regions, records (CSV upload or JSON read)."""

from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlmodel import SQLModel

from services.metrics.adapters import reference_store
from shared.auth.keys import Principal, Scope
from shared.codes.las import la_problem
from shared.http.auth import require

router = APIRouter(prefix="/reference", tags=["reference data"])
Kind = Literal["populations", "targets", "regions", "records"]


@router.get("/{kind}", summary="Reference data in force")
async def read(
    request: Request,
    kind: Kind,
    principal: Annotated[Principal, Depends(require(Scope.INDICATORS_READ))],
) -> list[dict[str, object]]:
    state = request.app.state.metrics
    rows: Sequence[SQLModel] = await run_in_threadpool(_read, state.engine, kind)
    if principal.region_reader:  # never another region's rows
        members = set(state.regions().get(principal.region, []))
        rows = [r for r in rows if getattr(r, "la", None) in members]
    return [r.model_dump() for r in rows]


def _read(engine: Engine, kind: str) -> Sequence[SQLModel]:
    if kind == "populations":
        return reference_store.populations(engine)
    if kind == "targets":
        return reference_store.targets(engine)
    if kind == "records":
        return reference_store.records(engine)
    return reference_store.region_rows(engine)


@router.put("/{kind}", summary="Load reference rows from CSV (upsert)")
async def load(
    request: Request,
    kind: Kind,
    body: Annotated[str, Body(media_type="text/csv")],
    principal: Annotated[Principal, Depends(require(Scope.REFERENCE_WRITE))],
) -> dict[str, int]:
    state = request.app.state.metrics
    try:
        rows = reference_store.parse_csv(kind, body)
    except (KeyError, ValueError) as exc:
        raise HTTPException(422, f"bad {kind} CSV: {exc}") from exc
    for line, row in enumerate(rows, start=2):
        la = getattr(row, "la", None)
        if la is not None and (problem := la_problem(la)) is not None:
            raise HTTPException(422, f"bad {kind} CSV, line {line}: {problem}")
    if principal.la and any(getattr(r, "la", principal.la) != principal.la for r in rows):
        raise HTTPException(403, "an LA key may load reference data for its own LA only")
    count = await run_in_threadpool(reference_store.upsert, state.engine, rows)
    await run_in_threadpool(state.reload_reference)
    return {"loaded": count}
