"""Publishing indicators.snapshot.v1: when an LA's figures change, and daily.

Each LA's snapshot for a date is published only when its content differs from
the last one published for that date, and at most once per interval per LA.
Month ends of the LA's history are covered too, so a backfilled history
reaches the forecast service as a series: from the LA's first fact, or from
the day its records are complete (reference data `records`) when that is
later, since before it a backfill holds only the children still in care when
its records begin.
"""

import hashlib
import json
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from services.metrics.adapters.tables import SnapshotMark
from services.metrics.domain.indicators import Indicator
from services.metrics.domain.series import points_between
from services.metrics.service_layer.state import MetricsState
from shared.db import insert_for, transaction
from shared.events.derived import IndicatorsSnapshot, IndicatorsSnapshotData, IndicatorValue
from shared.kafka.topics import INDICATORS
from shared.store.outbox import enqueue
from shared.store.tables import table_of

SOURCE = "/services/metrics"


def snapshot_values(values: list[Indicator]) -> list[IndicatorValue]:
    return [
        IndicatorValue(
            name=f"{v.name}.{v.breakdown}" if v.breakdown else v.name,
            value=v.value,
            numerator=v.numerator,
            denominator=v.denominator,
        )
        for v in values
    ]


def snapshot_dates(
    first: date | None, today: date, complete_from: date | None = None
) -> list[date]:
    start = max(first or today, complete_from or date.min, today - timedelta(days=366 * 10))
    return [d for d in points_between(start, today, "month") if d < today] + [today]


class SnapshotPublisher:
    def __init__(self, state: MetricsState, min_interval: timedelta) -> None:
        self._state = state
        self._min_interval = min_interval
        self._published_version: dict[str, int] = {}
        self._last_run: dict[str, datetime] = {}
        self._last_day: date | None = None

    def due(self, now: datetime) -> list[str]:
        new_day = now.date() != self._last_day
        return [
            la
            for la in self._state.live.las()
            if new_day
            or (
                self._state.live.version(la) != self._published_version.get(la)
                and now - self._last_run.get(la, datetime.min.replace(tzinfo=UTC))
                >= self._min_interval
            )
        ]

    def run_once(self, now: datetime | None = None) -> int:
        now = now or datetime.now(UTC)
        published = 0
        for la in self.due(now):
            version = self._state.live.version(la)
            published += self._publish_la(la, now)
            self._published_version[la], self._last_run[la] = version, now
        self._last_day = now.date()
        return published

    def _publish_la(self, la: str, now: datetime) -> int:
        count = 0
        with transaction(self._state.engine) as s:
            first = self._state.live.first_date(la)
            complete_from = self._state.reference(la).records_from
            for day in snapshot_dates(first, now.date(), complete_from):
                values = snapshot_values(self._state.live.indicators(la, day))
                count += _publish_if_changed(s, la, day, values, now)
        return count


def _publish_if_changed(
    s: Session, la: str, day: date, values: list[IndicatorValue], now: datetime
) -> int:
    digest = hashlib.sha256(
        json.dumps([v.model_dump() for v in values], sort_keys=True).encode()
    ).hexdigest()
    # Every replica of the service runs this: the mark, locked or claimed,
    # lets one of them publish a given content.
    mark = s.exec(
        select(SnapshotMark)
        .where(SnapshotMark.la == la, SnapshotMark.as_of == day)
        .with_for_update()
    ).first()
    if mark is not None and mark.digest == digest:
        return 0
    if mark is None and not _claimed(
        s, SnapshotMark(la=la, as_of=day, digest=digest, published_at=now)
    ):
        return 0  # another replica published this day's first snapshot meanwhile
    event = IndicatorsSnapshot(
        id=uuid.uuid4(),
        source=SOURCE,
        time=now,
        la=la,
        subject=f"{la}/{day.isoformat()}",
        data=IndicatorsSnapshotData(la=la, as_of=day, indicators=values),
    )
    enqueue(s, INDICATORS, la, event)
    if mark is not None:
        mark.digest, mark.published_at = digest, now
        s.add(mark)
    return 1


def _claimed(s: Session, mark: SnapshotMark) -> bool:
    """Inserts the mark unless one is there (another replica's, committed or not)."""
    table = table_of(SnapshotMark)
    insert = insert_for(s.connection(), table).values(**mark.model_dump()).on_conflict_do_nothing()
    return s.connection().execute(insert.returning(table.c.la)).first() is not None
