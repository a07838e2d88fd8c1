"""What the demo tells the services about the history it loads, as an LA would
on its first day: where its records become complete (the metrics service then
publishes no snapshot before that day, when only the children still in care
are known), and its published children-in-care figures for the years before,
uploaded to the forecast service as historic figures."""

from datetime import date
from typing import TextIO

import httpx

from sufficiency.simulator import CALIBRATIONS
from sufficiency.stack.settings import StackSettings

SERIES = "children_in_care"


def published_before(la: str, start: date) -> list[tuple[date, int]]:
    """The LA's published 31 March figures (seeds) for the years before `start`."""
    return sorted(
        (date(year, 3, 31), count)
        for year, count in CALIBRATIONS[la].cic_by_year.items()
        if date(year, 3, 31) < start
    )


def records_csv(la: str, start: date) -> str:
    return f"la,complete_from\n{la},{start.isoformat()}\n"


def upload_csv(la: str, figures: list[tuple[date, int]]) -> str:
    lines = [f"{la},{day.isoformat()},{SERIES},{count}" for day, count in figures]
    return "\n".join(["la,date,series,value", *lines]) + "\n"


def tell_services(settings: StackSettings, keys: dict[str, str], start: date, log: TextIO) -> None:
    """Records-complete dates to the metrics service and published figures to the
    forecast service, per LA with that LA's key; a failure is logged, not fatal:
    the demo then runs with the services' defaults."""
    with httpx.Client(timeout=30) as http:
        for la, key in keys.items():
            if la not in CALIBRATIONS:
                continue
            headers = {"Authorization": f"Bearer {key}", "Content-Type": "text/csv"}
            requests = [
                ("PUT", f"{settings.url('metrics')}/reference/records", records_csv(la, start)),
                (
                    "POST",
                    f"{settings.url('forecast')}/series/upload",
                    upload_csv(la, published_before(la, start)),
                ),
            ]
            for method, url, body in requests:
                try:
                    r = http.request(method, url, content=body, headers=headers)
                    problem = f"{r.status_code} {r.text[:300]}" if r.status_code >= 300 else ""
                except httpx.HTTPError as exc:
                    problem = repr(exc)
                if problem:
                    print(f"history facts: {method} {url}: {problem}", file=log, flush=True)
