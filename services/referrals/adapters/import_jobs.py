"""Background 903 imports: each job's progress and, when finished, its report (JSON)."""

import json
import uuid
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from services.referrals.adapters.tables import ImportJobRow
from shared.db import transaction
from shared.store.tables import utcnow


def create(engine: Engine, la: str) -> str:
    job_id = str(uuid.uuid4())
    with transaction(engine) as s:
        s.add(ImportJobRow(job_id=job_id, la=la, status="running"))
    return job_id


def progress(engine: Engine, job_id: str, done: int, total: int) -> None:
    with transaction(engine) as s:
        row = s.get(ImportJobRow, job_id)
        if row is not None:
            row.done, row.total = done, total
            s.add(row)


def finish(engine: Engine, job_id: str, status: str, result: dict[str, Any]) -> None:
    """status: done (the report), refused (a file-level problem) or failed."""
    with transaction(engine) as s:
        row = s.get(ImportJobRow, job_id)
        if row is not None:
            row.status, row.finished_at, row.result = status, utcnow(), json.dumps(result)
            s.add(row)


def get(engine: Engine, job_id: str) -> ImportJobRow | None:
    with Session(engine) as s:
        return s.get(ImportJobRow, job_id)


INTERRUPTED = (
    "the referrals service stopped during this import: import the return again to finish "
    "it (what was already imported comes back as duplicates)"
)


def interrupt_running(engine: Engine) -> int:
    """At start-up: a job still running was cut short by a stop (its thread died with the
    process), so it is marked interrupted instead of staying 'running' for ever."""
    with transaction(engine) as s:
        rows = s.exec(select(ImportJobRow).where(ImportJobRow.status == "running")).all()
        for row in rows:
            row.status, row.finished_at = "interrupted", utcnow()
            row.result = json.dumps({"detail": INTERRUPTED})
            s.add(row)
    return len(rows)
