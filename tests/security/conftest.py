"""One embedded stack (the CLI's: real broker, the four services as processes) with
the keys the security tests act as, and data that would show a leak:

- Derby has 3 children in care (every count of people in its figures is 1-5, so
  every one must be suppressed for anyone but Derby), a shared home with an open
  vacancy (the D2N2 feed has entries) and a webhook subscription;
- City of London (E09000001, in no region here) has 7 children and a population row.

Keys: Derby's demo key (all scopes), a second Derby key (feed:read), region readers of
D2N2 (the reader scopes; one with every scope in its row, which must still write
nothing; one with indicators:read only), a reader of another region, and City's key.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.auth.keys import ALL_SCOPES, REGION_READER_SCOPES, Scope
from shared.auth.store import create_key, keys_engine
from tests.e2e.stack import Stack, embedded_stack, poll
from tests.integration.vacancies import events as supply
from tests.integration.vacancies.conftest import WebhookReceiver
from tests.unit.shared.builders import DERBY, admitted, started

CITY = "E09000001"  # City of London: no region in the reference data
OTHER_REGION = "ELSEWHERE"
D2N2_LAS = ("E06000015", "E10000007", "E06000018", "E10000024")
STACK_ENV = {
    "WEBHOOK_ALLOWED_CIDRS": "127.0.0.1/32",  # the tests' receivers; nothing else private
    "WEBHOOK_BACKOFF_BASE_SECONDS": "0.2",
    "WEBHOOK_BACKOFF_MAX_SECONDS": "1.0",
}


@dataclass
class Secured:
    stack: Stack
    keys: dict[str, str]
    facts: dict[str, str] = field(default_factory=dict)

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}

    def call(self, who: str, method: str, service: str, path: str, **kw: Any) -> httpx.Response:
        url = f"{self.stack.urls[service]}{path}"
        headers = {**self.headers(who), **kw.pop("headers", {})}
        return httpx.request(method, url, headers=headers, timeout=30, **kw)

    def indicators(self, who: str, **params: str) -> list[dict[str, Any]]:
        response = self.call(who, "GET", "metrics", "/indicators", params=params)
        assert response.status_code == 200, response.text
        rows: list[dict[str, Any]] = response.json()["indicators"]
        return rows


def _children(la: str, n: int, tag: str) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        child = f"SEC{tag}{i}"
        out += [
            admitted(child=child) | {"la": la, "source": f"/la/{la}/lcs"},
            started(child=child, placement=f"{child}-P", placement_la=la)
            | {"la": la, "source": f"/la/{la}/lcs"},
        ]
    return out


def _keys(data_dir: Path, demo: dict[str, str]) -> dict[str, str]:
    engine = keys_engine(None, None, data_dir)
    made = {
        "derby": demo[DERBY],
        "derby_feed": create_key(engine, DERBY, frozenset({Scope.FEED_READ}))[1],
        "reader": create_key(engine, None, REGION_READER_SCOPES, "D2N2")[1],
        # A row naming every scope (not what `keys create` grants): still writes nothing.
        "reader_rogue": create_key(engine, None, ALL_SCOPES, "D2N2")[1],
        "reader_indicators": create_key(engine, None, frozenset({Scope.INDICATORS_READ}), "D2N2")[
            1
        ],
        "other_reader": create_key(engine, None, REGION_READER_SCOPES, OTHER_REGION)[1],
        "city": create_key(engine, CITY, ALL_SCOPES)[1],
    }
    engine.dispose()
    return made


def _seed(s: Secured) -> None:
    tag = uuid.uuid4().hex[:6]
    for who, la, n in (("derby", DERBY, 3), ("city", CITY, 7)):
        posted = s.call(who, "POST", "referrals", "/events", json=_children(la, n, f"{tag}{who}"))
        assert posted.status_code == 202, posted.text
    population = "la,year,aged_0_17\nE09000001,2023,1500\n"
    loaded = s.call(
        "city",
        "PUT",
        "metrics",
        "/reference/populations",
        content=population,
        headers={"Content-Type": "text/csv"},
    )
    assert loaded.status_code == 200, loaded.text
    # Published history of every D2N2 LA, so the region has a forecast.
    for la in D2N2_LAS:
        history = "la,date,series,value\n" + "".join(
            f"{la},{y}-03-31,children_in_care,{600 + 10 * (y - 2019)}\n" for y in range(2019, 2025)
        )
        up = httpx.post(
            f"{s.stack.urls['forecast']}/series/upload",
            content=history,
            headers={**s.stack.headers(la), "Content-Type": "text/csv"},
            timeout=30,
        )
        assert up.status_code == 200, up.text
    home, vacancy = f"SEC-H-{tag}", f"SEC-V-{tag}"
    opened = s.call(
        "derby",
        "POST",
        "vacancies",
        "/events",
        json=[supply.home(home), supply.opened(vacancy, home)],
    )
    assert opened.status_code == 202, opened.text
    s.facts |= {"child": f"SEC{tag}derby0", "home": home, "vacancy": vacancy}

    def counted(who: str, la: str, n: int) -> bool:
        rows = s.indicators(who, la=la)
        return any(r["name"] == "children_in_care" and r["value"] == n for r in rows)

    poll(lambda: counted("derby", DERBY, 3) and counted("city", CITY, 7), timeout=60)
    poll(lambda: s.call("derby", "GET", "vacancies", "/feed/vacancies").json()["entries"])


@pytest.fixture(scope="session")
def secured(tmp_path_factory) -> Iterator[Secured]:
    data_dir = tmp_path_factory.mktemp("security")
    with pytest.MonkeyPatch.context() as mp:
        for name, value in STACK_ENV.items():
            mp.setenv(name, value)
        # A generous ceiling: on a loaded 2-core machine importing the forecast
        # service alone has taken a minute.
        with embedded_stack(data_dir) as stack:
            s = Secured(stack, _keys(data_dir, stack.keys))
            _seed(s)
            yield s


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    r = WebhookReceiver().start()
    yield r
    r.stop()
