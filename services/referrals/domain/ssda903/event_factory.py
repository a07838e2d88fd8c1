"""Journey events made from 903 episodes, with ids that do not change on re-import.

An event's id is uuid5 of (LA, CHILD, DECOM of the episode the fact belongs
to, kind of event) and a digest of its whole body: the same episode in a
re-imported file, or unchanged in the next year's overlapping return, gives
the same ids, so downstream idempotency applies; an episode a later return
corrects gives a new event (events are never edited in place: the import
retracts the old one). A placement's id is CHILD-DECOM (YYYYMMDD) of the
episode it began in.

903 dates have no time of day. `time` is midnight UTC plus a few seconds that
put one child's events of a day in their causal order: the end of the
previous placement, leaving care, admission, corrections, legal status, the
new placement, then the end of an episode that began that same day.

Two facts the v1 data payloads cannot carry travel as CloudEvents extension
attributes on the envelope (payload extras are dropped by the shared models,
envelope extras are kept): `continuesperiod` (true on the child.admitted and
placement.started made from a child's first episode when its RNE is not S:
the period of care began before the records) and `categoryofneed` (on a
child.details.corrected when CIN changes within a period of care).
"""

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from pydantic_core import to_json

from shared.events.common import GridRef
from shared.events.envelope import Envelope, EventData
from shared.events.journey import (
    ChildAdmitted,
    ChildAdmittedData,
    ChildDetailsCorrected,
    ChildDetailsCorrectedData,
    ChildLeftCare,
    ChildLeftCareData,
    LegalStatusChanged,
    LegalStatusChangedData,
    PlacementEnded,
    PlacementEndedData,
    PlacementStarted,
    PlacementStartedData,
)

ImportedEvent = (
    ChildAdmitted
    | ChildDetailsCorrected
    | ChildLeftCare
    | LegalStatusChanged
    | PlacementEnded
    | PlacementStarted
)
"""The journey events a 903 file can give (every one names a child)."""

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:placement-sufficiency:ssda903-import")
CONTINUES_PERIOD = "continuesperiod"
CATEGORY_OF_NEED = "categoryofneed"

_SECOND: dict[str, int] = {
    "placement.ended": 1,
    "child.left_care": 2,
    "child.admitted": 3,
    "child.details.corrected": 4,
    "legal_status.changed": 5,
    "placement.started": 6,
}
_SAME_DAY_END = 10
_ENDINGS = frozenset({"placement.ended", "child.left_care"})
_MODELS: tuple[type[ImportedEvent], ...] = (
    ChildAdmitted, ChildDetailsCorrected, ChildLeftCare, LegalStatusChanged, PlacementEnded,
    PlacementStarted,
)  # fmt: skip
_TYPE: dict[type[Envelope], str] = {m: m.model_fields["type"].default for m in _MODELS}
_KIND: dict[type[Envelope], str] = {m: t.rsplit(".", 1)[0] for m, t in _TYPE.items()}
# One encoder for every id: `json.dumps` with options builds one per call.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


def canonical_body(event: Envelope) -> str:
    """The event without its id, as sorted compact JSON (what its id is a digest of)."""
    body = event.model_dump(mode="json", exclude={"id"})
    return _CANONICAL.encode(body)


def canonical_json(
    source: str,
    la: str,
    model: type[Envelope],
    when: datetime,
    child: str,
    data: EventData,
    extra: Mapping[str, object],
) -> bytes:
    """`canonical_body` of the event these make, built without the event (`when`:
    a whole second, UTC, as every imported event's time is).

    pydantic's own JSON writer, given the keys in sorted order, writes what
    `json.dumps(sort_keys=True)` would in a third of the time, for text of
    printable ASCII (json escapes the rest) and no floats (none in these events;
    the unit test compares the two on generated returns)."""
    payload = data.model_dump(mode="json")
    body = {
        **extra,
        "data": {k: payload[k] for k in sorted(payload)},  # nested: GridRef, sorted already
        "datacontenttype": "application/json",
        "la": la,
        "source": source,
        "specversion": "1.0",
        "subject": child,
        "time": when.strftime("%Y-%m-%dT%H:%M:%SZ"),  # pydantic's JSON of such a time
        "type": _TYPE[model],
    }
    text = to_json(dict(sorted(body.items())))
    if text.isascii() and b"\x7f" not in text:
        return text
    return _CANONICAL.encode(body).encode()


def event_id(la: str, child: str, decom: date, kind: str, body: str | bytes) -> uuid.UUID:
    digest = hashlib.sha256(body.encode() if isinstance(body, str) else body).hexdigest()
    return uuid.uuid5(NAMESPACE, f"{la}/{child}/{decom.isoformat()}/{kind}/{digest}")


def reissued_id(event_id: uuid.UUID) -> uuid.UUID:
    """A new id for an event whose content was retracted once and now holds again.

    Its first id is spent (stores and consumers' inboxes remember it), so the
    fact goes out again under the next id of a deterministic chain.
    """
    return uuid.uuid5(NAMESPACE, f"{event_id}/again")


def placement_id(child: str, decom: date) -> str:
    if decom.year < 1000:  # strftime does not pad the year; such a date is refused later
        return f"{child}-{decom:%Y%m%d}"
    return f"{child}-{decom.year}{decom.month:02d}{decom.day:02d}"  # strftime: 4x slower


def day_order(kind: str) -> int:
    """Rank of a kind of event among one child's events of one day."""
    return _SECOND[kind]


E = TypeVar("E", bound=Envelope)


@dataclass(frozen=True)
class EventFactory:
    """Builds the events of one LA's import; `decom` names the episode a fact belongs to."""

    la: str
    source: str

    def _event(
        self,
        model: type[E],
        data: EventData,
        child: str,
        decom: date,
        day: date,
        extra: Mapping[str, object],
    ) -> E:
        """The event, validated once with its id: the id's digest is taken from the
        body's JSON built beside the model (`canonical_body` of it, as the tests check),
        so only the payload is dumped and no model is copied for it."""
        kind = _KIND[model]
        second = _SECOND[kind] + (_SAME_DAY_END if kind in _ENDINGS and day == decom else 0)
        when = datetime.combine(day, time(0), UTC) + timedelta(seconds=second)
        body = canonical_json(self.source, self.la, model, when, child, data, extra)
        new_id = event_id(self.la, child, decom, kind, body)
        return model(
            id=new_id, source=self.source, time=when, subject=child, la=self.la, data=data, **extra
        )

    def admitted(
        self,
        child: str,
        decom: date,
        *,
        birth_month: str,
        sex: int,
        ethnicity: str,
        legal_status: str,
        category_of_need: str,
        uasc: bool,
        home_postcode: str | None,
        home_location: GridRef | None,
        continues_period: bool,
    ) -> ChildAdmitted:
        data = ChildAdmittedData(
            child_id=child,
            date=decom,
            birth_month=birth_month,
            sex=sex,
            ethnicity=ethnicity,
            legal_status=legal_status,
            category_of_need=category_of_need,
            uasc=uasc,
            home_postcode=home_postcode,
            home_location=home_location,
        )
        extra = {CONTINUES_PERIOD: True} if continues_period else {}
        return self._event(ChildAdmitted, data, child, decom, decom, extra)

    def corrected(
        self,
        child: str,
        decom: date,
        *,
        home_postcode: str | None,
        home_location: GridRef | None,
        category_of_need: str | None,
    ) -> ChildDetailsCorrected:
        data = ChildDetailsCorrectedData(
            child_id=child, date=decom, home_postcode=home_postcode, home_location=home_location
        )
        extra = {CATEGORY_OF_NEED: category_of_need} if category_of_need else {}
        return self._event(ChildDetailsCorrected, data, child, decom, decom, extra)

    def legal_status(self, child: str, decom: date, legal_status: str) -> LegalStatusChanged:
        data = LegalStatusChangedData(child_id=child, date=decom, legal_status=legal_status)
        return self._event(LegalStatusChanged, data, child, decom, decom, {})

    def started(
        self,
        child: str,
        decom: date,
        *,
        reason: str,
        placement_type: str,
        provider: str,
        urn: str | None,
        postcode: str | None,
        location: GridRef | None,
        placement_la: str | None,
        continues_period: bool,
    ) -> PlacementStarted:
        data = PlacementStartedData(
            placement_id=placement_id(child, decom),
            child_id=child,
            date=decom,
            reason=reason,
            placement_type=placement_type,
            provider=provider,
            urn=urn,
            placement_postcode=postcode,
            placement_location=location,
            placement_la=placement_la,
        )
        extra = {CONTINUES_PERIOD: True} if continues_period else {}
        return self._event(PlacementStarted, data, child, decom, decom, extra)

    def ended(
        self, child: str, decom: date, *, placement: str, day: date, reason_for_change: str | None
    ) -> PlacementEnded:
        data = PlacementEndedData(
            placement_id=placement, child_id=child, date=day, reason_for_change=reason_for_change
        )
        return self._event(PlacementEnded, data, child, decom, day, {})

    def left_care(self, child: str, decom: date, *, day: date, reason: str) -> ChildLeftCare:
        data = ChildLeftCareData(child_id=child, date=day, reason=reason)
        return self._event(ChildLeftCare, data, child, decom, day, {})
