"""Every service's /metrics: the scrape token, HTTP metrics by route template,
the outbox's age, no `_created` series, and dead-letter counters from 0."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy import update

from shared.db import transaction
from shared.http.app import create_service_app
from shared.http.runtime import Runtime
from shared.kafka.consumer import ConsumerMetrics, EventConsumer
from shared.settings import ServiceSettings
from shared.store import outbox
from shared.store.tables import SHARED_TABLES, OutboxMessage, table_of

TOKEN = "s3cret-token"


def make_app(tmp_path, **settings: Any):
    runtime = Runtime.create("svc", ServiceSettings(data_dir=tmp_path, **settings))
    for table in SHARED_TABLES:
        table.create(runtime.engine, checkfirst=True)
    router = APIRouter()

    @router.get("/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    # No lifespan: the broker side never starts.
    app = create_service_app(runtime, "svc", "test", [router])
    return app, runtime


def client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc")


async def test_metrics_need_the_scrape_token_when_one_is_set(tmp_path):
    app, _ = make_app(tmp_path, scrape_token=TOKEN)
    async with client(app) as http:
        assert (await http.get("/metrics")).status_code == 401
        wrong = await http.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert wrong.headers["www-authenticate"] == "Bearer"
        basic = await http.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"})
        assert basic.status_code == 401
        ok = await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200 and "sufficiency_" in ok.text


async def test_the_token_can_come_from_a_file(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    app, _ = make_app(tmp_path, scrape_token_file=token_file)
    async with client(app) as http:
        assert (await http.get("/metrics")).status_code == 401
        ok = await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200


async def test_metrics_are_open_without_a_token(tmp_path):
    app, _ = make_app(tmp_path)
    async with client(app) as http:
        assert (await http.get("/metrics")).status_code == 200


async def test_http_requests_are_counted_by_route_template_and_status(tmp_path):
    app, _ = make_app(tmp_path)
    async with client(app) as http:
        for thing in ("a", "b", "c"):
            await http.get(f"/things/{thing}")
        await http.get("/no/such/path/123")
        body = (await http.get("/metrics")).text
    requests = 'sufficiency_http_requests_total{handler="/things/{thing_id}",method="GET"'
    assert f'{requests},status="200"}} 3.0' in body
    # An unknown path is one "none" handler, never its raw path.
    assert 'handler="none",method="GET",status="404"' in body
    assert "/no/such/path" not in body
    assert (
        'sufficiency_http_request_duration_seconds_count{handler="/things/{thing_id}",'
        'method="GET",status="200"} 3.0' in body
    )
    assert "_created" not in body


def outbox_age(runtime: Runtime) -> float:
    prefix = "sufficiency_outbox_oldest_unpublished_age_seconds "
    text = generate_latest(runtime.registry).decode()
    [line] = [x for x in text.splitlines() if x.startswith(prefix)]
    return float(line.removeprefix(prefix))


def test_outbox_age_is_that_of_the_oldest_unpublished_row(tmp_path):
    _, runtime = make_app(tmp_path)
    assert outbox_age(runtime) == 0
    with transaction(runtime.engine) as session:
        outbox.enqueue_raw(session, "t", "k", "{}")
        outbox.enqueue_raw(session, "t", "k", "{}")
    table = table_of(OutboxMessage)
    with transaction(runtime.engine) as session:
        old = datetime.now(UTC) - timedelta(minutes=10)
        session.connection().execute(update(table).where(table.c.seq == 1).values(created_at=old))
    assert 600 <= outbox_age(runtime) < 660
    with transaction(runtime.engine) as session:
        outbox.mark_published(session, [(1, 0, 0)])
    assert outbox_age(runtime) < 60


@pytest.mark.parametrize("name", ["metrics.projection", "vacancies.journey"])
def test_a_consumers_dead_letter_counter_starts_at_zero(tmp_path, name):
    registry = CollectorRegistry()
    runtime = Runtime.create("svc", ServiceSettings(data_dir=tmp_path))
    EventConsumer(
        name,
        ["t"],
        lambda s, e: None,
        runtime.engine,
        "localhost:1",
        None,
        ConsumerMetrics(registry),
    )
    assert (
        f'sufficiency_dlq_messages_total{{consumer="{name}"}} 0.0'
        in generate_latest(registry).decode()
    )


@pytest.mark.parametrize("takes_events", [True, False])
def test_only_a_service_with_post_events_exports_group_commit_metrics(tmp_path, takes_events):
    runtime = Runtime.create("svc", ServiceSettings(data_dir=tmp_path), takes_events=takes_events)
    exported = "sufficiency_ingest_group_requests" in generate_latest(runtime.registry).decode()
    assert exported is takes_events
    if not takes_events:
        with pytest.raises(RuntimeError, match="without POST /events"):
            _ = runtime.ingest
