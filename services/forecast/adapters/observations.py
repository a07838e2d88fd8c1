"""Storing and reading observed series points."""

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, bindparam, insert, update
from sqlmodel import Session, col, select

from services.forecast.adapters.tables import Observation
from shared.codes.las import la_problem
from shared.events.common import EARLIEST_DATE, LATEST_DATE
from shared.events.derived import IndicatorsSnapshot
from shared.store.tables import table_of, utcnow

OBSERVATION = table_of(Observation)
CHUNK = 400  # series looked up per query (bound parameters stay well under any limit)
Key = tuple[str, str, date]  # la, series, date: the primary key
Point = tuple[str, str, date, float]  # la, series, date, value

_REVISE = (
    update(OBSERVATION)
    .where(
        OBSERVATION.c.la == bindparam("k_la"),
        OBSERVATION.c.series == bindparam("k_series"),
        OBSERVATION.c.date == bindparam("k_date"),
    )
    .values(value=bindparam("k_value"), origin=bindparam("k_origin"))
)


def snapshot_series(snapshot: IndicatorsSnapshot) -> list[tuple[str, float]]:
    """The series a snapshot feeds: counts as they are, ratios by category as counts."""
    out = []
    for ind in snapshot.data.indicators:
        if ind.value is None:
            continue
        if ind.name.startswith("placement_mix.") and ind.numerator is not None:
            out.append((f"children_in_care.{ind.name.split('.', 1)[1]}", ind.numerator))
        else:
            out.append((ind.name, ind.value))
    return out


def record_snapshot(session: Session, snapshot: IndicatorsSnapshot) -> None:
    la, day = snapshot.data.la, snapshot.data.as_of
    store(
        session,
        [(la, series, day, value) for series, value in snapshot_series(snapshot)],
        "snapshot",
    )


def upsert(session: Session, la: str, series: str, day: date, value: float, origin: str) -> None:
    store(session, [(la, series, day, value)], origin)


def store(session: Session, points: Iterable[Point], origin: str) -> None:
    """Keep points of one origin ("snapshot" or "upload") in a few statements:
    one query per LA and date for the rows already held, then one insert of
    the new rows and one update of the changed ones.

    Live snapshots supersede uploads for the same date; uploads revise uploads
    only. A point given twice keeps its last value, as storing the points one
    after the other would. The writes go to the connection, past the session's
    identity map: an Observation loaded as an ORM object in the same session
    would not see them (nothing that stores observations loads one).
    """
    wanted: dict[Key, float] = {}
    for la, series, day, value in points:
        wanted[(la, series, day)] = value
    if not wanted:
        return
    held = _held(session, wanted)
    now = utcnow()
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for (la, series, day), value in wanted.items():
        row = held.get((la, series, day))
        if row is None:
            new.append(
                {
                    "la": la,
                    "series": series,
                    "date": day,
                    "value": value,
                    "origin": origin,
                    "revised_at": now,
                }
            )
        elif (origin == "snapshot" or row[1] == "upload") and row != (value, origin):
            # An unchanged row is left alone, as the ORM left it (no UPDATE).
            changed.append(
                {
                    "k_la": la,
                    "k_series": series,
                    "k_date": day,
                    "k_value": value,
                    "k_origin": origin,
                }
            )
    connection = session.connection()
    if new:
        connection.execute(insert(OBSERVATION), new)
    if changed:
        connection.execute(_REVISE, changed)


def _held(session: Session, keys: Iterable[Key]) -> dict[Key, tuple[float, str]]:
    """(value, origin) of the rows held for these keys, a query per LA and date."""
    by_la_day: dict[tuple[str, date], list[str]] = defaultdict(list)
    for la, series, day in keys:
        by_la_day[(la, day)].append(series)
    held: dict[Key, tuple[float, str]] = {}
    for (la, day), names in by_la_day.items():
        for i in range(0, len(names), CHUNK):
            stmt = select(Observation.series, Observation.value, Observation.origin).where(
                Observation.la == la,
                Observation.date == day,
                col(Observation.series).in_(names[i : i + CHUNK]),
            )
            held |= {(la, series, day): (value, got) for series, value, got in session.exec(stmt)}
    return held


@dataclass(frozen=True)
class UploadError:
    line: int
    message: str


def parse_upload(text: str) -> tuple[list[tuple[str, date, str, float]], list[UploadError]]:
    """CSV with columns la, date, series, value (historic figures before the system)."""
    rows, errors = [], []
    reader = csv.DictReader(io.StringIO(text))
    missing = {"la", "date", "series", "value"} - set(reader.fieldnames or [])
    if missing:
        return [], [UploadError(1, f"missing columns: {', '.join(sorted(missing))}")]
    first_line: dict[tuple[str, str, date], int] = {}
    try:
        for line, r in enumerate(reader, start=2):
            try:
                row = _upload_row(r)
            except (ValueError, AttributeError) as exc:
                errors.append(UploadError(line, str(exc)))
                continue
            la, day, series, _ = row
            seen = first_line.setdefault((la, series, day), line)
            if seen != line:
                errors.append(UploadError(line, f"{la} {series} {day} is also on line {seen}"))
                continue
            rows.append(row)
    except csv.Error as exc:
        errors.append(UploadError(reader.line_num, str(exc)))
    return rows, errors


def _upload_row(r: dict[str, str]) -> tuple[str, date, str, float]:
    day, value = date.fromisoformat(r["date"].strip()), float(r["value"])
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(f"date {day} is not from {EARLIEST_DATE} to {LATEST_DATE}")
    if not math.isfinite(value):
        raise ValueError(f"value must be a finite number, not {r['value'].strip()!r}")
    if value < 0:
        raise ValueError(f"value must not be negative (a count), not {value:g}")
    if (problem := la_problem(r["la"].strip())) is not None:
        raise ValueError(problem)
    return r["la"].strip(), day, r["series"].strip(), value


def off_anchor(rows: Iterable[tuple[str, date, str, float]]) -> list[UploadError]:
    """Rows (numbered as in the file) that annual models will not use: not dated 31 March."""
    return [
        UploadError(line, f"{day} stored, but annual models use 31 March only")
        for line, (_, day, _, _) in enumerate(rows, start=2)
        if (day.month, day.day) != (3, 31)
    ]


def points(engine: Engine, la: str, series: str) -> list[tuple[date, float]]:
    with Session(engine) as s:
        stmt = (
            select(Observation)
            .where(Observation.la == la, Observation.series == series)
            .order_by(col(Observation.date))
        )
        return [(o.date, o.value) for o in s.exec(stmt)]


def points_on(engine: Engine, series: str, dates: Iterable[date]) -> dict[str, list[Point]]:
    """Every LA's points of ``series`` on the given dates (e.g. each 31 March), by LA."""
    wanted = sorted(set(dates))
    out: dict[str, list[Point]] = defaultdict(list)
    with Session(engine) as s:
        stmt = (
            select(Observation.la, col(Observation.date), Observation.value)
            .where(Observation.series == series, col(Observation.date).in_(wanted))
            .order_by(col(Observation.la), col(Observation.date))
        )
        for la, day, value in s.exec(stmt):
            out[la].append((la, series, day, value))
    return dict(out)
