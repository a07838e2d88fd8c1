"""Reference data (populations, targets, regions, records): CSV in, tables out."""

import csv
import io
import math
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session, select

from services.metrics.adapters.tables import Population, RecordsFrom, RegionMember, Target
from shared.db import one_at_a_time, transaction
from shared.events.common import EARLIEST_DATE, LATEST_DATE

N = TypeVar("N", int, float)
DEFAULTS = Path(__file__).resolve().parent.parent / "reference"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def _within(value: N, low: float, high: float, name: str) -> N:
    """`value`, if a finite number from `low` to `high` (float("nan") and "inf" parse)."""
    if not (math.isfinite(value) and low <= value <= high):
        raise ValueError(f"{name} {value} is not from {low:,} to {high:,}")
    return value


def _day(text: str, name: str) -> date:
    day = date.fromisoformat(text)
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(f"{name} {day} is not from {EARLIEST_DATE} to {LATEST_DATE}")
    return day


def parse_populations(rows: Iterable[dict[str, str]]) -> list[Population]:
    return [
        Population(
            la=r["la"],
            year=_within(int(r["year"]), 1900, 2099, "year"),
            aged_0_17=_within(int(r["aged_0_17"]), 1, 20_000_000, "aged_0_17"),
        )
        for r in rows
    ]


def parse_targets(rows: Iterable[dict[str, str]]) -> list[Target]:
    return [
        Target(
            la=r["la"],
            indicator=r["indicator"],
            breakdown=r.get("breakdown") or "",
            valid_from=_day(r["valid_from"], "valid_from"),
            value=_within(float(r["value"]), -1e9, 1e9, "value"),
            higher_is_better=r.get("higher_is_better", "true").lower() == "true",
        )
        for r in rows
    ]


def parse_regions(rows: Iterable[dict[str, str]]) -> list[RegionMember]:
    return [
        RegionMember(region=r["region"], la=r["la"], la_name=r.get("la_name", "")) for r in rows
    ]


def parse_records(rows: Iterable[dict[str, str]]) -> list[RecordsFrom]:
    return [
        RecordsFrom(la=r["la"], complete_from=_day(r["complete_from"], "complete_from"))
        for r in rows
    ]


Rows = list[Population] | list[Target] | list[RegionMember] | list[RecordsFrom]


COLUMNS = {
    "populations": {"la", "year", "aged_0_17"},
    "targets": {"la", "indicator", "valid_from", "value"},
    "records": {"la", "complete_from"},
    "regions": {"region", "la"},
}


def parse_csv(kind: str, text: str) -> Rows:
    """Rows of `kind`; ValueError for a file without the kind's columns or a bad value."""
    try:
        reader = csv.DictReader(io.StringIO(text))
        missing = COLUMNS[kind] - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"missing columns: {', '.join(sorted(missing))}")
        rows = list(reader)
    except csv.Error as exc:
        raise ValueError(str(exc)) from exc
    if kind == "populations":
        return parse_populations(rows)
    if kind == "targets":
        return parse_targets(rows)
    if kind == "records":
        return parse_records(rows)
    return parse_regions(rows)


def region_rows(engine: Engine) -> list[RegionMember]:
    with Session(engine) as s:
        return list(s.exec(select(RegionMember)).all())


# Replicas write reference rows one at a time: merge reads then inserts, so two
# replicas loading the same rows at once would both insert them.
_WRITERS = "metrics reference rows"


def upsert(engine: Engine, rows: Rows) -> int:
    with transaction(engine) as s:
        one_at_a_time(s.connection(), _WRITERS)
        for row in rows:
            s.merge(row)
    return len(rows)


def load_defaults_if_empty(engine: Engine) -> None:
    with transaction(engine) as s:
        one_at_a_time(s.connection(), _WRITERS)
        if s.exec(select(RegionMember)).first() is not None:
            return  # loaded already, by this replica before or by another
        for rows in (
            parse_populations(_rows(DEFAULTS / "populations.csv")),
            parse_targets(_rows(DEFAULTS / "targets.csv")),
            parse_regions(_rows(DEFAULTS / "regions.csv")),
        ):
            for row in rows:
                s.merge(row)


def populations(engine: Engine) -> list[Population]:
    with Session(engine) as s:
        return list(s.exec(select(Population)).all())


def targets(engine: Engine) -> list[Target]:
    with Session(engine) as s:
        return list(s.exec(select(Target)).all())


def regions(engine: Engine) -> dict[str, list[str]]:
    with Session(engine) as s:
        out: dict[str, list[str]] = {}
        for m in s.exec(select(RegionMember).order_by(RegionMember.la)).all():
            out.setdefault(m.region, []).append(m.la)
        return out


def la_names(engine: Engine) -> dict[str, str]:
    with Session(engine) as s:
        return {m.la: m.la_name for m in s.exec(select(RegionMember)).all()}


def records(engine: Engine) -> list[RecordsFrom]:
    with Session(engine) as s:
        return list(s.exec(select(RecordsFrom)).all())
