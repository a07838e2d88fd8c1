"""CPU per event of the metrics consumer's two pure steps: decode and fold.

`uv run python -m bench.metrics_fold [--events N] [--repeat R] [--profile decode|fold]`
takes bench.ingest's batched workload (the messages the relay publishes, one
JSON object per event) and times, in this process, best of R with
`process_time`:

* decode: `parse_event` (the consumer's `validate_json`) of every message;
* fold: `LiveProjection.apply` of the decoded events, into a fresh
  projection each repeat;

both in batches of 500 as the consumer does them (a batch decoded, then
folded, then dropped), each step's CPU summed over the batches. Batches
matter: the cyclic garbage collector's passes are part of the cost and grow
with what is kept alive (decoding 17,000 messages into one list costs about
twice as much per event as in batches of 500).

No database, no broker: only the Python work these two steps do per event, so
that a change to validation or to the fold can be measured apart from SQLite.
"""

import argparse
import cProfile
import json
import pstats
import time
from collections.abc import Callable, Sequence
from functools import partial

from bench import limits
from bench.ingest import batch_bodies
from services.metrics.domain.reference import ReferenceForLa
from services.metrics.service_layer.live import LiveProjection
from shared.events.registry import AnyEvent, parse_event

BATCH = 500


def messages(events: int) -> list[bytes]:
    """Each event as the relay publishes it: compact JSON of one envelope."""
    return [
        json.dumps(e, separators=(",", ":")).encode()
        for body in batch_bodies(events)
        for e in json.loads(body)
    ]


def consume(values: Sequence[bytes], profile: str | None = None) -> tuple[float, float]:
    """CPU seconds (decode, fold) of every batch of `values` into a fresh projection."""
    live = LiveProjection(lambda la: ReferenceForLa())
    profiler = cProfile.Profile()
    spent = {"decode": 0.0, "fold": 0.0}

    def timed(step: str, work: Callable[[], object]) -> None:
        if profile == step:
            profiler.enable()
        started = time.process_time()
        work()
        spent[step] += time.process_time() - started
        if profile == step:
            profiler.disable()

    for i in range(0, len(values), BATCH):
        batch = values[i : i + BATCH]
        events: list[AnyEvent] = []
        timed("decode", partial(events.extend, map(parse_event, batch)))
        timed("fold", partial(live.apply, events))
    if profile:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    return spent["decode"], spent["fold"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", choices=["decode", "fold"])
    args = parser.parse_args()
    values = messages(args.events)
    if args.profile:
        consume(values, args.profile)
    runs = [consume(values) for _ in range(args.repeat)]
    decoding = min(d for d, _ in runs) * 1e6 / len(values)
    folding = min(f for _, f in runs) * 1e6 / len(values)
    load = limits.load_average()
    print(
        f"{len(values)} events: decode {decoding:.1f} CPU-us/event, "
        f"fold {folding:.1f} CPU-us/event (best of {args.repeat}); load average {load}"
    )


if __name__ == "__main__":
    main()
