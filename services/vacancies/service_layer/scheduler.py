"""The clock: lapsed holds reopen vacancies, passed expiries close them.

State is in the database (hold_until, expires_at), so nothing is lost across
a restart: every tick scans for what is due, and each change is saved with
its feed entry and its vacancy.reopened.v1 / vacancy.expired.v1 event in one
transaction. A read-only look comes first, so an idle tick writes nothing.

Replicas: the clock ticks only on the replica leading the "clock" duty. Were
two to tick at once they would still change each vacancy once (the second
waits for the supply lock, then finds nothing due), but for nothing.
"""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import structlog
from sqlalchemy import Engine
from sqlmodel import Session

from services.vacancies.adapters import supply_store as store
from services.vacancies.adapters import vacancy_store as vacancies
from services.vacancies.domain.lifecycle import Transition, advance
from services.vacancies.service_layer import emitted
from services.vacancies.service_layer.changes import vacancy_saved
from shared.db import transaction
from shared.kafka.topics import SUPPLY
from shared.store.outbox import enqueue

log = structlog.get_logger()


def run_due(engine: Engine, now: datetime) -> list[Transition]:
    with Session(engine) as s:
        if not vacancies.due_vacancies(s, now):
            return []
    done: list[Transition] = []
    with transaction(engine) as s:
        store.lock_supply(s)
        for vacancy in vacancies.due_vacancies(s, now):
            home = store.load_home(s, vacancy.home_id)
            assert home is not None
            for t in advance(vacancy, now):
                vacancy_saved(s, home, t.after)
                enqueue(s, SUPPLY, home.home_id, emitted.of_transition(t))
                done.append(t)
    return done


async def run_clock(
    engine: Engine,
    interval: float,
    on_done: Callable[[list[Transition]], None],
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    leads: Callable[[], bool] = lambda: True,
) -> None:
    while True:
        if not leads():
            await asyncio.sleep(interval)
            continue
        try:
            done = await asyncio.to_thread(run_due, engine, clock())
            if done:
                on_done(done)
        except Exception as exc:  # retried at the next tick
            log.warning("scheduler.failed", error=repr(exc))
        await asyncio.sleep(interval)
