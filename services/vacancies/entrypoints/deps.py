"""Who is asking: their LA and region, and the app's runtime parts."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy import Engine

from services.vacancies.service_layer.metrics import VacancyMetrics
from services.vacancies.settings import VacanciesSettings
from shared.auth.keys import Principal, Scope
from shared.http.auth import require
from shared.http.runtime import Runtime
from shared.regions import region_of

SupplyReader = Annotated[Principal, Depends(require(Scope.SUPPLY_READ))]
FeedReader = Annotated[Principal, Depends(require(Scope.FEED_READ))]


def own_la(principal: Principal) -> str:
    if principal.la is None:
        raise HTTPException(403, "this needs an LA key")
    return principal.la


def region_for(principal: Principal) -> str:
    """The region whose feed a caller reads: their LA's, or a region reader's."""
    region = region_of(principal.la) or principal.region
    if region is None:
        raise HTTPException(403, "the key's LA belongs to no region")
    return region


def engine(request: Request) -> Engine:
    runtime: Runtime = request.app.state.runtime
    return runtime.engine


def settings(request: Request) -> VacanciesSettings:
    value: VacanciesSettings = request.app.state.settings
    return value


def metrics(request: Request) -> VacancyMetrics:
    value: VacancyMetrics = request.app.state.metrics
    return value
