"""Synthetic D2N2 children-in-care and supply events, calibrated to the seeds.

Pure generation code (no HTTP, no Kafka): every event is a real pydantic
model from `shared.events`, with deterministic ids (uuid5 of the seed).

- `backfill(years, end, seed)`: years of history to `end`, in time order;
- `live(start, rate_per_second, seed)`: the stream carrying on from it;
- `write_jsonl(events, path)` / `read_jsonl(path)`;
- `compare(events)` / `format_table(rows)`: published against simulated;
- `CALIBRATIONS`: every figure used, with its source (calibration.py).
"""

from sufficiency.simulator.calibration import CALIBRATIONS, D2N2, LaCalibration
from sufficiency.simulator.check import Row, compare, format_table
from sufficiency.simulator.output import read_jsonl, write_jsonl
from sufficiency.simulator.stream import Simulation, backfill, live

__all__ = [
    "CALIBRATIONS",
    "D2N2",
    "LaCalibration",
    "Row",
    "Simulation",
    "backfill",
    "compare",
    "format_table",
    "live",
    "read_jsonl",
    "write_jsonl",
]
