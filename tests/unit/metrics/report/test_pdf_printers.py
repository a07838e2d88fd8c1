"""PDFs print a few at a time: a request finding every printer busy past its
wait is a 503 with Retry-After, and a printer comes back however a print ends."""

import asyncio

import pytest
from fastapi import HTTPException

from services.metrics.entrypoints.report_api import _printer


async def test_a_request_waiting_past_the_limit_is_a_503_and_printers_come_back():
    printers = asyncio.Semaphore(1)
    async with _printer(printers, 1.0):
        with pytest.raises(HTTPException) as busy:
            async with _printer(printers, 0.05):
                pass
        assert busy.value.status_code == 503 and busy.value.headers == {"Retry-After": "10"}
    with pytest.raises(RuntimeError):
        async with _printer(printers, 0.05):
            raise RuntimeError("chromium failed")
    async with _printer(printers, 0.05):  # freed by the failed print too
        assert printers.locked()


async def test_a_waiting_request_prints_when_a_printer_frees_in_time():
    printers = asyncio.Semaphore(1)
    order: list[str] = []

    async def first() -> None:
        async with _printer(printers, 1.0):
            await asyncio.sleep(0.05)
            order.append("first")

    async def second() -> None:
        await asyncio.sleep(0.01)
        async with _printer(printers, 1.0):
            order.append("second")

    await asyncio.gather(first(), second())
    assert order == ["first", "second"]
