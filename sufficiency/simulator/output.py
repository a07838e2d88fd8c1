"""Writing generated events to files."""

from collections.abc import Iterable, Iterator
from pathlib import Path

from shared.events.envelope import Envelope
from shared.events.registry import AnyEvent, parse_event

# TODO(to_903): SSDA903 returns (`write_903(events, out_dir, la, collection_year)`)
# are being written separately; they plug in here under the hook name `to_903`.


def write_jsonl(events: Iterable[Envelope], path: str | Path) -> int:
    """One CloudEvent (structured JSON) per line; returns how many were written."""
    n = 0
    with Path(path).open("w", encoding="utf-8") as out:
        for event in events:
            out.write(event.model_dump_json(exclude_none=True))
            out.write("\n")
            n += 1
    return n


def read_jsonl(path: str | Path) -> Iterator[AnyEvent]:
    """The events of a file written by `write_jsonl`, validated again."""
    with Path(path).open(encoding="utf-8") as src:
        for line in src:
            if line.strip():
                yield parse_event(line)
