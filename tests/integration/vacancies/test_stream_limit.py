"""A process holds at most MAX_STREAMS server-sent event streams: one more is a 503
with Retry-After that disturbs nothing, and a stream's slot comes back when its
client goes (the real service, the embedded broker)."""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx

from tests.integration.vacancies.conftest import NOTTINGHAM_FEED, launch_vacancies, make_keys

STREAM = "/feed/vacancies/stream"


@asynccontextmanager
async def opened(client: httpx.AsyncClient) -> AsyncIterator[httpx.Response]:
    async with client.stream("GET", STREAM) as r:
        yield r


def streams_open(url: str) -> float:
    text = httpx.get(f"{url}/metrics", timeout=10).text
    line = next(x for x in text.splitlines() if x.startswith("sufficiency_http_streams_open "))
    return float(line.split()[1])


async def test_streams_past_the_limit_are_refused_and_a_closed_one_frees_its_slot(
    embedded_broker, tmp_path
):
    keys = make_keys(tmp_path)
    with launch_vacancies(tmp_path, embedded_broker, keys, MAX_STREAMS="2") as svc:
        headers = svc.headers(NOTTINGHAM_FEED)
        async with (
            httpx.AsyncClient(base_url=svc.url, headers=headers, timeout=10) as client,
            AsyncExitStack() as held,
        ):
            first = await held.enter_async_context(opened(client))
            second = await held.enter_async_context(opened(client))
            assert (first.status_code, second.status_code) == (200, 200)
            async with opened(client) as third:
                assert third.status_code == 503
                assert third.headers["Retry-After"] == "30"
            assert streams_open(svc.url) == 2
            assert (await client.get("/feed/vacancies")).status_code == 200  # the rest goes on
            await held.aclose()  # both clients go

            deadline = time.monotonic() + 10
            while streams_open(svc.url) and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            assert streams_open(svc.url) == 0
            async with opened(client) as again, opened(client) as also:
                assert (again.status_code, also.status_code) == (200, 200)
