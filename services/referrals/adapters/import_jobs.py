"""Background 903 imports: each job's progress and, when finished, its report (JSON).

A job runs in a thread of the replica that accepted the upload, and is owned
by it (REPLICA_ID). When that replica dies (kill -9, a node lost) its thread
dies with it; a surviving replica sees that the owner no longer holds its
liveness lease (shared.leadership) and marks the job interrupted within a
lease interval or two. It is not re-run: the upload lived only in the dead
replica's memory (keeping every return of up to 64 MB in the database to
cover this rare case is not worth it), and importing the return again is safe
(what was already imported comes back as duplicates), so the LA is told to.
"""

import json
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, or_
from sqlmodel import Session, col, select

from services.referrals.adapters.tables import ImportJobRow
from shared.db import transaction
from shared.store.tables import utcnow


def create(engine: Engine, la: str, owner: str) -> str:
    job_id = str(uuid.uuid4())
    with transaction(engine) as s:
        s.add(ImportJobRow(job_id=job_id, la=la, status="running", owner=owner))
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
    "the referrals replica running this import stopped during it: import the return again "
    "to finish it (what was already imported comes back as duplicates)"
)


def interrupt_orphans(engine: Engine, alive: Callable[[str], bool]) -> int:
    """Mark interrupted the running jobs whose owner is no longer alive (and any
    without an owner: started before jobs had one, by a process long gone)."""
    with Session(engine) as s:
        owners = set(
            s.exec(
                select(ImportJobRow.owner).where(col(ImportJobRow.status) == "running").distinct()
            ).all()
        )
    dead = [o for o in owners if o is None or not alive(o)]
    if not dead:
        return 0
    named = [o for o in dead if o is not None]
    owned_by_dead = [col(ImportJobRow.owner).in_(named)] if named else []
    unowned = [col(ImportJobRow.owner).is_(None)] if None in dead else []
    with transaction(engine) as s:
        rows = s.exec(
            select(ImportJobRow).where(
                col(ImportJobRow.status) == "running", or_(*owned_by_dead, *unowned)
            )
        ).all()
        for row in rows:
            row.status, row.finished_at = "interrupted", utcnow()
            row.result = json.dumps({"detail": INTERRUPTED})
            s.add(row)
    return len(rows)
