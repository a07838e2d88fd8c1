"""Backfills shared by the simulator tests (each is generated once per session)."""

import time
from datetime import date

import pytest

from shared.events.envelope import Envelope
from sufficiency.simulator import backfill

SEED = 20240331
CALIBRATION_END = date(2024, 3, 31)  # the seeds' figures are at 31/03/2024
ACROSS_CODE_CHANGE_END = date(2026, 1, 31)  # 2024-25 and 2025-26 code lists


@pytest.fixture(scope="session")
def five_years() -> tuple[list[Envelope], float]:
    """All four LAs, five years to 31 March 2024, and how long it took."""
    started = time.perf_counter()
    events = list(backfill(5, CALIBRATION_END, SEED))
    return events, time.perf_counter() - started


@pytest.fixture(scope="session")
def across_code_change() -> list[Envelope]:
    return list(backfill(2, ACROSS_CODE_CHANGE_END, SEED + 1))
