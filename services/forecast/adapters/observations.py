"""Storing and reading observed series points."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from services.forecast.adapters.tables import Observation
from shared.events.derived import IndicatorsSnapshot


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
    for series, value in snapshot_series(snapshot):
        upsert(session, snapshot.data.la, series, snapshot.data.as_of, value, "snapshot")


def upsert(session: Session, la: str, series: str, day: date, value: float, origin: str) -> None:
    row = session.get(Observation, (la, series, day))
    if row is None:
        session.add(Observation(la=la, series=series, date=day, value=value, origin=origin))
    elif origin == "snapshot" or row.origin == "upload":
        # Live snapshots supersede uploads for the same date; uploads revise uploads.
        row.value, row.origin = value, origin
        session.add(row)


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
    for line, r in enumerate(reader, start=2):
        try:
            rows.append(
                (
                    r["la"].strip(),
                    date.fromisoformat(r["date"].strip()),
                    r["series"].strip(),
                    float(r["value"]),
                )
            )
        except (ValueError, AttributeError) as exc:
            errors.append(UploadError(line, str(exc)))
    return rows, errors


def points(engine: Engine, la: str, series: str) -> list[tuple[date, float]]:
    with Session(engine) as s:
        stmt = (
            select(Observation)
            .where(Observation.la == la, Observation.series == series)
            .order_by(col(Observation.date))
        )
        return [(o.date, o.value) for o in s.exec(stmt)]
