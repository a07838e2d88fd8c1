"""GET /forecasts, series upload, and POST /scenarios."""

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from services.forecast.adapters import observations
from services.forecast.domain import scenarios as sc
from services.forecast.service_layer.forecasting import (
    NAMES,
    CannotForecast,
    Forecaster,
    ForecastResult,
    NotEnoughHistory,
)
from services.forecast.service_layer.scenario_runner import Step, apply_steps, baseline_plan
from shared.auth.keys import Principal, Scope
from shared.codes.categories import PlacementCategory
from shared.db import transaction
from shared.http.auth import check_la, check_region, require
from shared.http.errors import ApiError, ErrorBody, FieldProblem
from shared.ingest.errors import pointer
from shared.regions import regions

router = APIRouter(tags=["forecasts"])
ModelName = Literal[
    "naive",
    "linear",
    "theta",
    "pooled_trend",
    "pooled_drift",
    "combination",
    "linear_confidence",
    "holt",
    "damped",
    "flow",
]
assert set(get_args(ModelName)) == set(NAMES), "ModelName lists the forecaster's models"
Reader = Annotated[Principal, Depends(require(Scope.FORECAST_READ))]


class Point(BaseModel):
    period: date
    mid: float
    lower: float
    upper: float


class Score(BaseModel):
    model: str
    mape: float | None
    bias: float | None
    coverage: float | None
    cases: int


class ForecastOut(BaseModel):
    scope: str
    series: str
    model: str
    default_model: str = Field(
        description="The model with the best rolling-origin backtest pooled over all LAs "
        "(or flow, where the LA's journey events beat it on 3+ origins)"
    )
    level: float
    points: list[Point]
    backtest: Score | None
    backtests: list[Score]
    widened_to_backtest: bool = Field(
        description="true only when a bound is wider than the model's own interval (taken from "
        "the backtest errors)"
    )
    history: list[tuple[date, float]]


def _score(s: Any) -> Score:
    finite = lambda v: None if v is None or v != v else float(v)  # noqa: E731
    return Score(
        model=s.model,
        mape=finite(s.mape),
        bias=finite(s.bias),
        coverage=finite(s.coverage),
        cases=s.n,
    )


def _members(principal: Principal, la: str | None, region: str | None) -> tuple[str, list[str]]:
    if (la is None) == (region is None):
        raise HTTPException(422, "give exactly one of la or region")
    if la is not None:
        # An LA's forecast is its own planning figure, not a published one: a
        # region reader reads the region's only.
        check_la(principal, la)
        return la, [la]
    check_region(principal, region or "")
    if region not in regions():
        raise HTTPException(404, f"unknown region {region!r}")
    return region, regions()[region]


def _out(result: ForecastResult, level: float) -> ForecastOut:
    scores = [_score(s) for s in result.scores.values()]
    return ForecastOut(
        scope=result.scope,
        series=result.series,
        model=result.model,
        default_model=result.chosen,
        level=level,
        points=[
            Point(period=p.period, mid=p.mid, lower=p.lower, upper=p.upper) for p in result.points
        ],
        backtest=next((s for s in scores if s.model == result.model), None),
        backtests=scores,
        widened_to_backtest=result.widened,
        history=list(result.history),
    )


@router.get(
    "/forecasts",
    response_model=ForecastOut,
    summary="mid, lower, upper per period, with backtests",
    responses={404: {"description": "Unknown region, or too little history to forecast"}},
)
async def forecasts(
    request: Request,
    principal: Reader,
    la: str | None = None,
    region: str | None = None,
    series: str = "children_in_care",
    model: Annotated[
        ModelName | None, Query(description="default: the best pooled backtest")
    ] = None,
    horizon: Annotated[int, Query(ge=1, le=15)] = 5,
    level: Annotated[float, Query(gt=0.5, lt=1)] = 0.95,
    widen: Annotated[
        bool,
        Query(
            description="true: bounds from the pooled backtest errors; false: the model's own "
            "interval, as a spreadsheet gives it"
        ),
    ] = True,
    until: Annotated[
        date | None, Query(description="fit on the history up to this day (a report as of it)")
    ] = None,
) -> ForecastOut:
    scope, members = _members(principal, la, region)
    forecaster: Forecaster = request.app.state.forecaster
    try:
        result = await run_in_threadpool(
            forecaster.forecast, scope, members, series, model, horizon, level, widen, until
        )
    except NotEnoughHistory as exc:
        raise HTTPException(404, str(exc)) from exc
    except CannotForecast as exc:
        raise HTTPException(422, str(exc)) from exc
    return _out(result, level)


def _refused(errors: list[observations.UploadError]) -> dict[str, Any]:
    problems = [
        FieldProblem(pointer=pointer("body", e.line), reason="bad_row", message=e.message)
        for e in errors
    ]
    body = ErrorBody(detail="invalid CSV: nothing was stored", errors=problems)
    return body.model_dump(exclude_none=True)


class UploadOut(BaseModel):
    loaded: int
    errors: list[dict[str, Any]]
    warnings: list[dict[str, Any]] = Field(
        default_factory=list,
        description="rows stored with a caveat, e.g. not dated 31 March (annual models use "
        "31 March only)",
    )


@router.post(
    "/series/upload",
    response_model=UploadOut,
    summary="Historic figures for years before the system (CSV: la, date, series, value)",
)
async def upload(
    request: Request,
    principal: Annotated[Principal, Depends(require(Scope.FORECAST_WRITE))],
    body: Annotated[str, Body(media_type="text/csv")],
) -> UploadOut:
    rows, errors = observations.parse_upload(body)
    if errors:
        raise ApiError(422, _refused(errors))
    for la, *_ in rows:
        check_la(principal, la)
    engine = request.app.state.runtime.engine

    def store() -> None:
        with transaction(engine) as s:
            observations.store(s, [(la, series, day, v) for la, day, series, v in rows], "upload")

    await run_in_threadpool(store)
    warnings = [asdict(w) for w in observations.off_anchor(rows)]
    return UploadOut(loaded=len(rows), errors=[], warnings=warnings)


# Bounds far past any LA's figures: an input must not overflow the plan's sums
# (JSON's 1e400 reads as infinity), and a request must not run without end.
Places = Annotated[float, Field(ge=0, le=10_000)]
StepYear = Annotated[int, Field(ge=0, le=2099)]


class StepIn(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False)

    kind: Literal[
        "reduce_entries",
        "step_down_residential",
        "open_home",
        "close_home",
        "residential_mix_target",
    ]
    percent: float = Field(0.0, ge=0, le=100, description="reduce_entries: % fewer entrants a year")
    per_year: Places = Field(0.0, description="step_down_residential: children a year")
    beds: Places = Field(0.0, description="open_home / close_home: places")
    year: StepYear = Field(0, description="the year (31 March) a step starts in; 0: the first")
    category: PlacementCategory = PlacementCategory.RESIDENTIAL
    targets: dict[Annotated[int, Field(ge=1900, le=2099)], float] | None = Field(
        None, max_length=200, description="residential_mix_target: year -> share"
    )


class ScenarioIn(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False)

    la: str
    horizon: int = Field(5, ge=1, le=15)
    own_capacity: dict[PlacementCategory, Places] = Field(
        default_factory=dict, description="own places by category now"
    )
    until: date | None = Field(None, description="forecast from the history up to this day")
    steps: list[StepIn] = Field(max_length=50)


@router.post(
    "/scenarios",
    summary="Children, beds needed and cost by category, against the baseline",
    responses={404: {"description": "Too little history to forecast"}},
)
async def scenarios(request: Request, principal: Reader, body: ScenarioIn) -> dict[str, Any]:
    check_la(principal, body.la)
    forecaster: Forecaster = request.app.state.forecaster

    def run() -> dict[str, Any]:
        capacity = {str(category): places for category, places in body.own_capacity.items()}
        base = baseline_plan(forecaster, body.la, body.horizon, capacity, body.until)
        steps = [s.model_dump() for s in body.steps]
        plan = apply_steps(forecaster, body.la, base, [Step(**s) for s in steps])
        return {
            "la": body.la,
            "steps": steps,
            "years": [asdict(c) for c in sc.compare(base, plan)],
        }

    try:
        return await run_in_threadpool(run)
    except NotEnoughHistory as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
