"""A stopping service exits even when a background task will not."""

import asyncio
import time

from shared.http.runtime import Runtime
from shared.settings import ServiceSettings


def test_stop_gives_up_on_a_task_that_ignores_cancellation(tmp_path):
    runtime = Runtime.create(
        "referrals", ServiceSettings(data_dir=tmp_path, shutdown_grace_seconds=1)
    )
    released = asyncio.Event()

    async def stubborn() -> None:
        while not released.is_set():
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                continue  # as a library retry loop that swallows cancellation would

    async def scenario() -> float:
        runtime.tasks.append(asyncio.create_task(stubborn(), name="stubborn"))
        await asyncio.sleep(0)
        started = time.monotonic()
        await runtime.stop()
        took = time.monotonic() - started
        released.set()
        runtime.tasks[0].cancel()
        return took

    took = asyncio.run(scenario())
    assert 0.9 < took < 5  # waited the grace, then went on (was: for ever)
