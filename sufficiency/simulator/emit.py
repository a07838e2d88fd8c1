"""Raw events as the simulation makes them, their times of day, and their ids.

The simulation writes `Raw` records (a model class and a plain `data` dict);
`build` turns one into the real pydantic event, validating it. Keeping the
two apart lets the live mode move an event to a new time before building it.

Times: every event gets a time of day on its date (UTC, between 07:00 and
about 22:00, so the date is the same in London). Events about the same child
or home on the same day get increasing times, so sorting by time never puts
a placement before the admission it follows.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from shared.events.envelope import Envelope

# Fixed namespace: ids are uuid5(namespace, "<seed>:<la>:<kind>:<n>").
NAMESPACE = uuid.UUID("5b0a4c1e-3d52-4a37-9a51-2f6a1d0c9e42")
_DAY_START = time(7, 0)
_LAST = time(23, 59, 59)


@dataclass(slots=True)
class Raw:
    time: datetime
    order: int
    day: date
    cls: type[Envelope]
    la: str
    subject: str
    source: str
    data: dict[str, Any]
    event_id: uuid.UUID


def entity_id(seed: int, la: str, kind: str, n: int) -> str:
    """A pseudonymous, deterministic id such as `child-<uuid>`."""
    return f"{kind}-{uuid.uuid5(NAMESPACE, f'{seed}:{la}:{kind}:{n}')}"


class Sink:
    """One LA's outgoing events, stamped with times and ids."""

    def __init__(self, la: str, seed: int, rng: random.Random) -> None:
        self.la = la
        self.seed = seed
        self.rng = rng
        self.records: list[Raw] = []
        self.count = 0
        self._cursor: dict[str, datetime] = {}
        self._journey = f"/la/{la}/lcs"
        self._supply = f"/la/{la}/commissioning"

    def journey(
        self,
        cls: type[Envelope],
        day: date,
        subject: str,
        data: dict[str, Any],
        keys: tuple[str, ...] = (),
        late: bool = False,
    ) -> None:
        self._emit(
            cls,
            day,
            subject,
            data,
            (subject, *keys),
            self._journey,
            (15 * 60, 21 * 60) if late else (8 * 60, 18 * 60),
        )

    def supply(
        self,
        cls: type[Envelope],
        day: date,
        home_id: str,
        data: dict[str, Any],
        keys: tuple[str, ...] = (),
    ) -> None:
        self._emit(cls, day, home_id, data, (home_id, *keys), self._supply, (8 * 60, 17 * 60))

    def _emit(
        self,
        cls: type[Envelope],
        day: date,
        subject: str,
        data: dict[str, Any],
        keys: tuple[str, ...],
        source: str,
        window: tuple[int, int],
    ) -> None:
        when = self._stamp(day, keys, window)
        self.count += 1
        event_id = uuid.uuid5(NAMESPACE, f"{self.seed}:{self.la}:event:{self.count}")
        self.records.append(
            Raw(when, self.count, day, cls, self.la, subject, source, data, event_id)
        )

    def _stamp(self, day: date, keys: tuple[str, ...], window: tuple[int, int]) -> datetime:
        floor: datetime | None = None
        for key in keys:
            seen = self._cursor.get(key)
            if seen is not None and seen.date() == day and (floor is None or seen > floor):
                floor = seen
        if floor is None:
            minute = self.rng.randint(*window)
            when = datetime.combine(day, _DAY_START, UTC) + timedelta(
                minutes=minute - 7 * 60, seconds=self.rng.randint(0, 59)
            )
        else:
            when = min(
                floor + timedelta(seconds=self.rng.randint(20, 420)),
                datetime.combine(day, _LAST, UTC),
            )
        for key in keys:
            seen = self._cursor.get(key)
            if seen is None or seen < when:
                self._cursor[key] = when
        return when

    def take(self) -> list[Raw]:
        out, self.records = self.records, []
        return out

    def forget(self, key: str) -> None:
        self._cursor.pop(key, None)


def shift(data: dict[str, Any], days: int) -> dict[str, Any]:
    """The same payload with every date and datetime moved by `days`."""
    if days == 0:
        return data
    delta = timedelta(days=days)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, date):  # datetime is a date too
            out[key] = value + delta
        else:
            out[key] = value
    return out


def build(raw: Raw) -> Envelope:
    """The validated pydantic event."""
    return raw.cls.model_validate(
        {
            "id": raw.event_id,
            "source": raw.source,
            "time": raw.time,
            "subject": raw.subject,
            "la": raw.la,
            "data": raw.data,
        }
    )
