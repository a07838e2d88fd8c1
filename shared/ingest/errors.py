"""Per-event, per-field rejection reasons that a client can act on."""

from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True)
class EventError:
    index: int
    pointer: str  # RFC 6901 JSON pointer into the event, e.g. /data/legal_status
    reason: str  # stable machine-readable code
    message: str


def pointer(*parts: str | int) -> str:
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "".join("/" + p for p in escaped)


def from_validation(index: int, exc: ValidationError, event_type: str | None) -> list[EventError]:
    out = []
    for err in exc.errors():
        loc = list(err["loc"])
        if loc and loc[0] == event_type:  # the discriminated union's tag
            loc = loc[1:]
        reason = err["type"]
        if reason in ("union_tag_invalid", "union_tag_not_found"):
            reason, loc = "unknown_event_type", ["type"]
        out.append(EventError(index, pointer(*loc), reason, err["msg"]))
    return out
