"""Two replicas of each of the four services on one PostgreSQL and the broker.

Events go to either referrals (and vacancies) replica; every answer read is
the same from either replica and equal to what was sent. Then one replica of
each service is killed (SIGKILL) in the middle of a stream of posts: nothing
is lost, nothing is counted twice, the survivors answer with everything, and
the killed metrics replica, started again under the same REPLICA_ID, folds
each event exactly once (the events its inbox holds from the store, the rest
from its own consumer group).
"""

import json
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from shared.auth.keys import Scope
from shared.auth.store import create_key, keys_engine
from tests.support.broker import kafka_broker
from tests.support.services import ServiceProcess, service_env, start_service
from tests.unit.shared.builders import DERBY, admitted, event, started

pytestmark = pytest.mark.integration

AS_OF = "2024-06-01"
FORECAST = {"la": DERBY, "series": "children_in_care", "model": "linear", "horizon": 3}
HOMES_FIRST, HOMES_STREAM = 4, 6
CHILDREN_FIRST, CHILDREN_STREAM = 60, 60
PLACES = 40  # per home: room for every child placed there
DEADLINE = 90.0  # seconds for anything to settle on a loaded 2-core machine
SERVICES = ("referrals", "vacancies", "metrics", "forecast")


@dataclass
class Cluster:
    env: dict[str, str]
    key: str
    replicas: dict[str, list[ServiceProcess]] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def urls(self, service: str) -> list[str]:
        return [r.url for r in self.replicas[service] if r.process.poll() is None]

    def start(self, service: str, replica: int, port: int | None = None) -> ServiceProcess:
        env = dict(self.env)
        if service == "metrics":
            env["REPLICA_ID"] = f"metrics-{replica}"
        return start_service(service, env, port)

    def post(self, service: str, events: list[dict[str, Any]], first: int) -> None:
        """To replica `first` (mod the live ones), or the other when it does not
        answer, as a load balancer would; a resend of an accepted event is a duplicate."""
        urls = self.replicas[service]
        for attempt in range(2 * len(urls)):
            replica = urls[(first + attempt) % len(urls)]
            try:
                response = httpx.post(
                    f"{replica.url}/events", json=events, headers=self.headers, timeout=30
                )
            except httpx.TransportError:
                continue
            assert response.status_code == 202, response.text
            assert {r["status"] for r in response.json()["results"]} <= {"accepted", "duplicate"}
            return
        raise AssertionError(f"no {service} replica accepted the events")

    def get(self, url: str, path: str, **params: Any) -> Any:
        response = httpx.get(f"{url}{path}", params=params, headers=self.headers, timeout=30)
        return response.status_code, response.json()


def fresh_database(server_url: str) -> str:
    """A database of its own in the shared test server: the services' schemas are fixed names."""
    name = f"replicas_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def cluster(postgres_url, tmp_path_factory) -> Iterator[Cluster]:
    data_dir = tmp_path_factory.mktemp("replicas")
    database = fresh_database(postgres_url)
    key = create_key(keys_engine(None, database, data_dir), DERBY, frozenset(Scope))[1]
    # A broker of its own: other tests' events on the shared one would be counted.
    with kafka_broker() as (bootstrap, idempotent):
        env = service_env(data_dir, bootstrap, idempotent, database, SNAPSHOT_CHECK_SECONDS="2")
        started = Cluster(env, key)
        try:
            for service in SERVICES:
                started.replicas[service] = [started.start(service, n) for n in (0, 1)]
            for replicas in started.replicas.values():
                for replica in replicas:
                    replica.wait_ready()
            yield started
        finally:
            everyone = [r for replicas in started.replicas.values() for r in replicas]
            for replica in everyone:  # all at once: each takes seconds to shut down
                if replica.process.poll() is None:
                    replica.process.terminate()
            for replica in everyone:
                replica.stop()


def home(n: int) -> dict[str, Any]:
    data = {
        "home_id": f"RH{n}",
        "kind": "foster_household",
        "provider": "own_la",
        "owner_la": DERBY,
        "location_la": DERBY,
        "registered_places": PLACES,
        "location": {"easting": 440000, "northing": 340000},
    }
    raw = event("home.registered.v1", data, time="2024-04-01T09:00:00Z")
    raw["subject"] = data["home_id"]
    return raw


def child(n: int) -> list[dict[str, Any]]:
    """The same child always gets the same event ids, so a resend is a duplicate."""
    cid = f"R{n}"
    ids = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"replicas/{cid}/{k}")) for k in ("adm", "start")]
    placed = started(child=cid, placement=f"{cid}-P", date="2024-05-01", home_id=f"RH{n % 4}")
    return [admitted(child=cid, date="2024-05-01") | {"id": ids[0]}, placed | {"id": ids[1]}]


def settled(read: Callable[[], Any], expected: Callable[[Any], bool], what: str) -> Any:
    """Poll `read` until `expected` holds for what it returns (within DEADLINE)."""
    deadline = time.monotonic() + DEADLINE
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = read()
        except httpx.TransportError as exc:
            last = repr(exc)
        else:
            if expected(last):
                return last
        time.sleep(0.25)
    raise AssertionError(f"{what} not reached in {DEADLINE}s; last: {last!r}")


def indicators(cluster: Cluster, url: str) -> dict[tuple[str, str], Any]:
    status, body = cluster.get(url, "/indicators", la=DERBY, as_of=AS_OF)
    assert status == 200, body
    return {(i["name"], i["breakdown"] or ""): i["value"] for i in body["indicators"]}


def occupancy(cluster: Cluster, url: str) -> dict[str, Any]:
    status, body = cluster.get(url, "/occupancy", as_of=AS_OF)
    assert status == 200, body
    return body


def same_everywhere(cluster: Cluster, service: str, read: Callable[[Cluster, str], Any]) -> Any:
    answers = [read(cluster, url) for url in cluster.urls(service)]
    return answers[0] if all(a == answers[0] for a in answers) else None


def check_counts(cluster: Cluster, children: int, homes: int) -> None:
    """Both services' answers, identical from every live replica, equal to what was sent."""
    figures = settled(
        lambda: same_everywhere(cluster, "metrics", indicators),
        lambda f: f is not None and f[("children_in_care", "")] == children,
        f"{children} children in care on every metrics replica",
    )
    assert figures[("children_in_care", "")] == children
    places = settled(
        lambda: same_everywhere(cluster, "vacancies", occupancy),
        lambda o: o is not None and o["total"]["occupied_places"] == children,
        f"{children} occupied places on every vacancies replica",
    )
    assert places["total"]["registered_places"] == homes * PLACES
    assert len(places["homes"]) == homes


def test_every_replica_answers_the_same_and_the_right_counts(cluster):
    for n in range(HOMES_FIRST):
        cluster.post("vacancies", [home(n)], first=n)
    for n in range(0, CHILDREN_FIRST, 10):
        batch = [e for c in range(n, n + 10) for e in child(c)]
        cluster.post("referrals", batch, first=n // 10)
    check_counts(cluster, CHILDREN_FIRST, HOMES_FIRST)

    history = "la,date,series,value\n" + "".join(
        f"{DERBY},{y}-03-31,children_in_care,{v}\n"
        for y, v in zip(range(2019, 2025), (640, 650, 655, 630, 610, 598), strict=True)
    )
    up = httpx.post(
        f"{cluster.urls('forecast')[0]}/series/upload",
        content=history,
        headers={**cluster.headers, "Content-Type": "text/csv"},
        timeout=30,
    )
    assert up.status_code == 200, up.text
    forecast = settled(
        lambda: same_everywhere(cluster, "forecast", read_forecast),
        lambda f: f is not None and f[0] == 200,
        "the same forecast from both forecast replicas",
    )
    assert len(forecast[1]["points"]) == 3


def read_forecast(cluster: Cluster, url: str) -> tuple[int, Any]:
    return cluster.get(url, "/forecasts", **FORECAST)


class Stream(threading.Thread):
    """Posts the second lot of homes and children, one child per request,
    alternating replicas; `posted` counts requests answered."""

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(daemon=True)
        self.cluster = cluster
        self.posted = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            for n in range(CHILDREN_STREAM):
                if n < HOMES_STREAM:
                    self.cluster.post("vacancies", [home(HOMES_FIRST + n)], first=n)
                self.cluster.post("referrals", child(CHILDREN_FIRST + n), first=n)
                self.posted += 1
        except BaseException as exc:  # reported by the test's thread
            self.error = exc


def test_a_replica_of_each_killed_mid_stream_loses_and_doubles_nothing(cluster):
    stream = Stream(cluster)
    stream.start()
    settled(lambda: stream.posted, lambda n: n >= CHILDREN_STREAM // 2, "half the stream posted")
    killed = {service: cluster.replicas[service][0] for service in SERVICES}
    for replica in killed.values():
        replica.process.send_signal(signal.SIGKILL)
    for replica in killed.values():
        replica.process.wait(10)
    # The survivors serve while the stream goes on.
    settled(
        lambda: indicators(cluster, cluster.urls("metrics")[0]),
        lambda f: f[("children_in_care", "")] >= CHILDREN_FIRST,
        "an answer from the surviving metrics replica",
    )
    stream.join(DEADLINE)
    assert not stream.is_alive() and stream.error is None, stream.error

    children, homes = CHILDREN_FIRST + CHILDREN_STREAM, HOMES_FIRST + HOMES_STREAM
    check_counts(cluster, children, homes)
    survivor = cluster.replicas["metrics"][1]
    assert folded_once(survivor, 0, 2 * children + homes)
    status, _ = cluster.get(cluster.urls("forecast")[0], "/forecasts", **FORECAST)
    assert status == 200
    for service in ("vacancies", "metrics", "forecast"):  # every event decoded and applied
        assert dead_letters(cluster.replicas[service][1]) == 0

    # The killed metrics replica again, same REPLICA_ID: store + own group, each event once.
    port = int(killed["metrics"].url.rsplit(":", 1)[1])
    again = cluster.start("metrics", 0, port)
    cluster.replicas["metrics"][0] = again
    again.wait_ready()
    check_counts(cluster, children, homes)
    assert folded_once(again, rebuilt_from_log(again.log), 2 * children + homes)


def folded_once(replica: ServiceProcess, from_store: int, events: int) -> bool:
    """Every event folded into the replica's projection once: from the store
    at its start, or by its consumer since (waited for, then never more)."""
    consumed = settled(lambda: applied(replica), lambda n: from_store + n >= events, "all folded")
    return from_store + consumed == events


def dead_letters(replica: ServiceProcess) -> float:
    text_ = httpx.get(f"{replica.url}/metrics", timeout=10).text
    counts = [
        float(line.rsplit(" ", 1)[1])
        for line in text_.splitlines()
        if line.startswith("sufficiency_dlq_messages_total{")
    ]
    assert counts, "no dead-letter counter exported"
    return sum(counts)


def applied(replica: ServiceProcess) -> int:
    """Events this metrics process's projection consumer applied since it started."""
    text_ = httpx.get(f"{replica.url}/metrics", timeout=10).text
    prefix = "sufficiency_consumer_events_total{"
    total = 0.0
    for line in text_.splitlines():
        if line.startswith(prefix) and 'outcome="applied"' in line and "projection" in line:
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


def rebuilt_from_log(log: Path) -> int:
    """Events the last start of this process folded from the store (its log line)."""
    folded = [
        json.loads(line)["events"]
        for line in log.read_text().splitlines()
        if '"projection.rebuilt_from_log"' in line
    ]
    return int(folded[-1])
