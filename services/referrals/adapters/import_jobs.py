"""Background 903 imports: each job's progress and, when finished, its report (JSON)."""

import json
import uuid
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

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
