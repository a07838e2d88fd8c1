"""Asking the forecast service (over HTTP: services never read each other's
databases) for the report's forecasts and its scenario baseline, with the
caller's own key, so the forecast service applies its own access rules."""

from datetime import date
from typing import Any

import httpx

from services.metrics.domain.report.inputs import Forecast, ForecastPoint


class ForecastUnavailable(RuntimeError):
    """The forecast service could not answer; the message says why, for the report."""


class ForecastClient:
    def __init__(self, base: str, key: str, timeout: float) -> None:
        self._base, self._timeout = base, timeout
        self._headers = {"Authorization": f"Bearer {key}"}

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as http:
                r = await http.request(
                    method, f"{self._base}{path}", headers=self._headers, **kwargs
                )
        except httpx.HTTPError as exc:
            raise ForecastUnavailable(f"the forecast service did not answer ({exc!r})") from exc
        if r.status_code != 200:
            detail = _detail(r)
            raise ForecastUnavailable(f"the forecast service answered {r.status_code}: {detail}")
        return r.json()

    async def forecast(
        self, scope: dict[str, str], until: date, horizon: int, model: str | None, widen: bool
    ) -> tuple[Forecast, list[tuple[date, float]]]:
        params: dict[str, str | int | bool] = {
            **scope,
            "series": "children_in_care",
            "horizon": horizon,
            "until": until.isoformat(),
            "widen": str(widen).lower(),
        }
        if model:
            params["model"] = model
        body = await self._call("GET", "/forecasts", params=params)
        points = tuple(
            ForecastPoint(date.fromisoformat(p["period"]), p["mid"], p["lower"], p["upper"])
            for p in body["points"]
        )
        history = [(date.fromisoformat(d), float(v)) for d, v in body["history"]]
        return Forecast(body["model"], points), history

    async def baseline(
        self, la: str, until: date, horizon: int, own_capacity: dict[str, float]
    ) -> list[tuple[int, dict[str, float]]]:
        """Children by placement category per year: the scenario service's baseline."""
        body = await self._call(
            "POST",
            "/scenarios",
            json={
                "la": la,
                "horizon": horizon,
                "own_capacity": own_capacity,
                "until": until.isoformat(),
                "steps": [],
            },
        )
        return [(int(y["year"]), dict(y["baseline"]["children"])) for y in body["years"]]


def _detail(r: httpx.Response) -> str:
    try:
        body = r.json()
    except ValueError:
        return r.text[:200]
    detail = body.get("detail", body) if isinstance(body, dict) else body
    return str(detail)[:200]
