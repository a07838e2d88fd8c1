"""Delivering the feed to webhook subscribers, in order, never losing an entry.

One task per subscription at a time posts the entries after its cursor, one
by one, and moves the cursor (in the database) only after a 2xx; a failure
stops that subscription until its backoff has passed, then the same entry is
tried again. Delivery is at least once: a crash between the 2xx and the cursor
write sends that entry again (subscribers dedupe on webhook-id, the event id or
X-Feed-Seq). Before each attempt the host is resolved and checked again (see
targets): a host that now resolves to a refused address is a failed attempt.
What went wrong is logged and kept for operators; the subscriber is told only
that an attempt failed (a status or error text would make this a port scanner).

Replicas: only the replica leading the "webhooks" duty delivers, so in normal
running each entry is posted once. A replica that loses the duty cancels its
deliveries at its next tick; one killed mid-delivery leaves its last entry's
cursor unwritten, and the new leader posts that entry again (at least once,
same webhook-id).
"""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import structlog
from sqlalchemy import Engine

from services.vacancies.adapters import feed_log, resolver, subscriptions
from services.vacancies.adapters.feed_tables import FeedEntryRow, SubscriptionRow
from services.vacancies.domain.addresses import AddressPolicy
from services.vacancies.domain.delivery import Policy, SubStatus, after_failure, after_success, due
from services.vacancies.domain.signature import HEADER, sign, standard_headers
from services.vacancies.service_layer import targets
from services.vacancies.service_layer.metrics import VacancyMetrics

log = structlog.get_logger()
BATCH = 100


class WebhookDelivery:
    def __init__(
        self,
        engine: Engine,
        policy: Policy,
        metrics: VacancyMetrics,
        timeout: float,
        poll: float,
        addresses: AddressPolicy,
        resolve: targets.Resolve = resolver.resolve,
        leads: Callable[[], bool] = lambda: True,
    ) -> None:
        self._engine, self._policy, self._metrics = engine, policy, metrics
        self._timeout, self._poll = timeout, poll
        self._addresses, self._resolve = addresses, resolve
        self._running: dict[str, asyncio.Task[None]] = {}
        self._leads = leads

    async def run(self) -> None:
        # No redirects: a 3xx to a private address would skip the address check.
        async with httpx.AsyncClient(timeout=self._timeout, follow_redirects=False) as client:
            while True:
                try:
                    await self._tick(client)
                except Exception as exc:  # the database was busy: next tick
                    log.warning("webhooks.tick_failed", error=repr(exc))
                await asyncio.sleep(self._poll)

    async def _tick(self, client: httpx.AsyncClient) -> None:
        self._running = {k: t for k, t in self._running.items() if not t.done()}
        if not self._leads():
            for task in self._running.values():
                task.cancel()  # another replica delivers now
            return
        now = datetime.now(UTC)
        for sub in await asyncio.to_thread(subscriptions.deliverable, self._engine):
            if sub.id not in self._running and due(subscriptions.state_of(sub), now):
                self._running[sub.id] = asyncio.create_task(self.deliver(client, sub.id))

    async def deliver(self, client: httpx.AsyncClient, sub_id: str) -> None:
        try:
            await self._deliver(client, sub_id)
        except Exception as exc:  # the database was busy: the next tick tries again
            log.warning("webhooks.delivery_failed", subscription=sub_id, error=repr(exc))

    async def _deliver(self, client: httpx.AsyncClient, sub_id: str) -> None:
        sub = await asyncio.to_thread(subscriptions.get, self._engine, sub_id)
        if sub is None or sub.status == SubStatus.PAUSED:
            return
        entries = await asyncio.to_thread(
            feed_log.read_after, self._engine, sub.region, sub.cursor, BATCH
        )
        state = subscriptions.state_of(sub)
        for entry in entries:
            error = await self._post(client, sub, entry)
            now = datetime.now(UTC)
            if error is None:
                state = after_success(state)
                await asyncio.to_thread(
                    subscriptions.record, self._engine, sub.id, state, now, entry.seq
                )
                self._metrics.deliveries.labels("delivered").inc()
                continue
            state = after_failure(state, now, error, self._policy)
            await asyncio.to_thread(subscriptions.record, self._engine, sub.id, state, now, None)
            self._metrics.deliveries.labels("failed").inc()
            if state.status is SubStatus.PAUSED:
                log.error(
                    "webhooks.paused",
                    subscription=sub.id,
                    la=sub.la,
                    error=error,
                    failing_since=str(state.failing_since),
                )
            return

    async def _post(
        self, client: httpx.AsyncClient, sub: SubscriptionRow, entry: FeedEntryRow
    ) -> str | None:
        """None when delivered; else what went wrong (for the log, not the subscriber)."""
        try:
            target = await targets.check(sub.url, self._addresses, self._resolve)
        except targets.RefusedTarget as exc:
            return f"refused: {exc}"
        body = entry.body.encode()
        headers = {
            "Content-Type": "application/json",
            HEADER: sign(sub.secret, body),
            "X-Feed-Seq": str(entry.seq),
            "X-Subscription-Id": sub.id,
            **standard_headers(sub.secret, f"{sub.id}_{entry.seq}", datetime.now(UTC), body),
            **target.headers,
        }
        try:
            response = await client.post(
                target.url, content=body, headers=headers, extensions=target.extensions
            )
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"[:500]
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}"
