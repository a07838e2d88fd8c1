"""What a rule says is wrong with an event: a JSON pointer, a reason code, a message."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    pointer: str
    reason: str
    message: str
