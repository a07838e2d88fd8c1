"""The slice through all four services, on the embedded stack the CLI starts."""

import os
import signal
import uuid

import httpx
import pytest

from tests.e2e.stack import broker_pid, embedded_stack, poll
from tests.unit.shared.builders import DERBY, admitted, event, started

pytestmark = pytest.mark.e2e


def indicator(stack, name: str, la: str = DERBY):
    body = httpx.get(
        f"{stack.urls['metrics']}/indicators",
        params={"la": la},
        headers=stack.headers(la),
        timeout=10,
    ).json()
    return next(
        (i for i in body["indicators"] if i["name"] == name and not i.get("breakdown")), None
    )


def value(stack, name: str):
    found = indicator(stack, name)
    return None if found is None else found["value"]


def post(stack, service: str, events, la: str = DERBY) -> httpx.Response:
    return httpx.post(
        f"{stack.urls[service]}/events", json=events, headers=stack.headers(la), timeout=30
    )


def home_registered(home: str, places: int = 2) -> dict:
    data = {
        "home_id": home,
        "kind": "foster_household",
        "provider": "own_la",
        "owner_la": DERBY,
        "location_la": DERBY,
        "registered_places": places,
        "location": {"easting": 440000, "northing": 340000},
    }
    raw = event("home.registered.v1", data, time="2024-04-01T09:00:00Z")
    raw["subject"] = home
    return raw


def child(n: int, day: str = "2024-05-01") -> list[dict]:
    """The same child always gets the same event ids (so a resend is a duplicate)."""
    cid = f"E2E{n}"
    ids = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"e2e/{cid}/{kind}")) for kind in ("adm", "start")]
    return [
        admitted(child=cid, date=day) | {"id": ids[0]},
        started(child=cid, placement=f"{cid}-P", date=day) | {"id": ids[1]},
    ]


def snapshots_consumed(stack) -> float:
    text = httpx.get(f"{stack.urls['forecast']}/metrics").text
    prefix = 'sufficiency_consumer_events_total{consumer="forecast.snapshots",outcome="applied"}'
    return next(
        (float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(prefix)),
        0.0,
    )


def test_slice_through_all_four_services(tmp_path, monkeypatch):
    monkeypatch.setenv("SNAPSHOT_CHECK_SECONDS", "1")
    monkeypatch.setenv("SNAPSHOT_MIN_INTERVAL_SECONDS", "1")
    with embedded_stack(tmp_path) as stack:
        assert post(stack, "vacancies", [home_registered("H1")]).status_code == 202
        response = post(stack, "referrals", child(1))
        assert response.status_code == 202, response.text
        assert [r["status"] for r in response.json()["results"]] == ["accepted", "accepted"]

        assert poll(lambda: value(stack, "children_in_care") == 1)
        assert value(stack, "within_20_miles") == 1.0
        # One child: /metrics (open here: no SCRAPE_TOKEN) follows the small-number rule.
        scrape = httpx.get(f"{stack.urls['metrics']}/metrics").text
        assert 'sufficiency_children_in_care{la="E06000015"' not in scrape
        assert 'sufficiency_http_requests_total{handler="/indicators"' in scrape

        occupancy = poll(
            lambda: (
                httpx.get(
                    f"{stack.urls['vacancies']}/homes/H1/occupancy", headers=stack.headers(DERBY)
                )
                .json()
                .get("occupied_places")
                == 1
            )
        )
        assert occupancy

        # metrics publishes indicators.snapshot.v1; the forecast service consumes them
        assert poll(lambda: snapshots_consumed(stack) > 0, timeout=60)

        history = "la,date,series,value\n" + "".join(
            f"{DERBY},{y}-03-31,children_in_care,{v}\n"
            for y, v in zip(range(2019, 2025), (640, 650, 655, 630, 610, 598), strict=True)
        )
        up = httpx.post(
            f"{stack.urls['forecast']}/series/upload",
            content=history,
            headers={**stack.headers(DERBY), "Content-Type": "text/csv"},
        )
        assert up.status_code == 200, up.text
        forecast = httpx.get(
            f"{stack.urls['forecast']}/forecasts",
            headers=stack.headers(DERBY),
            params={"la": DERBY, "series": "children_in_care", "model": "linear", "horizon": 3},
        ).json()
        assert len(forecast["points"]) == 3
        # never zero width, never below zero (the live snapshot may pull the line to 0)
        assert all(0 <= p["lower"] <= p["mid"] <= p["upper"] for p in forecast["points"])
        assert all(p["lower"] < p["upper"] for p in forecast["points"])


def test_killing_the_broker_mid_flow_then_restarting_loses_and_doubles_nothing(tmp_path):
    ports = None
    with embedded_stack(tmp_path) as stack:
        ports = {n: int(u.rsplit(":", 1)[1]) for n, u in stack.urls.items()}
        broker_port = stack.broker_port
        for n in range(40):
            if n == 20:
                os.kill(broker_pid(tmp_path), signal.SIGKILL)
            response = post(stack, "referrals", child(n))
            assert response.status_code == 202, response.text  # accepted means durable
    with embedded_stack(tmp_path, ports=ports, broker_port=broker_port) as stack:
        assert poll(lambda: value(stack, "children_in_care") == 40, timeout=90)
        before = indicator(stack, "children_in_care")
        duplicate = post(stack, "referrals", child(0))
        assert {r["status"] for r in duplicate.json()["results"]} == {"duplicate"}
        assert indicator(stack, "children_in_care") == before
