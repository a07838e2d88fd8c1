"""A deterministic synthetic workload: many LAs, children with simple journeys.

Not calibrated (the D2N2 simulator is); shaped like the national picture:
150 LAs, ~83,000 children in care at the end, starts, moves and leavers.
"""

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from shared.events import (
    ChildAdmitted,
    ChildLeftCare,
    PlacementEnded,
    PlacementStarted,
)
from shared.events.envelope import Envelope

NS = uuid.UUID("7a0c3f70-6f6e-4a57-9a8e-6e6c6f616421")
PLACES = ["U4", "U4", "U5", "U1", "K2", "R1", "P1", "A4"]
PROVIDERS = ["PR1", "PR1", "PR4", "PR4", "PR2", "PR5"]


def la_codes(n: int) -> list[str]:
    return [f"E{(6 if i % 2 else 10):02d}{i:06d}" for i in range(1, n + 1)]


@dataclass
class _Child:
    la: str
    child_id: str
    home: tuple[int, int]
    placement: int = 0


def _event(cls: type[Envelope], la: str, day: date, key: str, data: dict[str, object]) -> Envelope:
    at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    return cls.model_validate(
        {
            "id": uuid.uuid5(NS, key),
            "source": f"/la/{la}/bench",
            "time": at,
            "la": la,
            "subject": data.get("child_id"),
            "data": data,
        }
    )


def journeys(las: int, children: int, years: int, end: date, seed: int = 1) -> Iterator[Envelope]:
    """Events in time order: admissions, placements, moves and leavers."""
    rng = random.Random(seed)
    codes = la_codes(las)
    start = end - timedelta(days=365 * years)
    days = (end - start).days
    # Enough admissions that about `children` are in care at the end.
    admissions = int(children * 1.6)
    schedule: list[tuple[date, int, str]] = []
    for n in range(admissions):
        day = start + timedelta(days=rng.randrange(days))
        schedule.append((day, 0, f"{n}"))
        stay = int(rng.expovariate(1 / (365 * 2.2)))
        for move in range(rng.choice([0, 0, 1, 1, 2, 3])):
            move_day = day + timedelta(days=int(stay * (move + 1) / 4) + 1)
            if move_day < end:
                schedule.append((move_day, 1, f"{n}"))
        if day + timedelta(days=stay) < end and rng.random() < 0.55:
            schedule.append((day + timedelta(days=stay + 2), 2, f"{n}"))
    schedule.sort()
    state: dict[str, _Child] = {}
    for day, kind, child in schedule:
        yield from _step(rng, codes, state, day, kind, child)


def _step(
    rng: random.Random, codes: list[str], state: dict[str, _Child], day: date, kind: int, n: str
) -> Iterator[Envelope]:
    child = state.get(n)
    if kind == 0:
        la = codes[int(n) % len(codes)]
        child = state[n] = _Child(
            la, f"B{n}", (400_000 + rng.randrange(80_000), 300_000 + rng.randrange(80_000))
        )
        yield _event(
            ChildAdmitted,
            la,
            day,
            f"{n}/adm",
            {
                "child_id": child.child_id,
                "date": day,
                "birth_month": f"{day.year - rng.randrange(1, 17)}-{rng.randrange(1, 13):02d}",
                "sex": rng.choice([1, 2]),
                "ethnicity": "WBRI",
                "legal_status": "C2",
                "category_of_need": "N1",
                "uasc": rng.random() < 0.06,
                "home_location": {"easting": child.home[0], "northing": child.home[1]},
            },
        )
        yield _placement(rng, child, day, "S")
    elif child is not None and child.placement >= 0:
        pid = f"{child.child_id}-{child.placement}"
        yield _event(
            PlacementEnded,
            child.la,
            day,
            f"{pid}/end",
            {
                "placement_id": pid,
                "child_id": child.child_id,
                "date": day,
                "reason_for_change": "CARPL",
            },
        )
        if kind == 1:
            yield _placement(rng, child, day, rng.choice(["P", "P", "T"]))
        else:
            child.placement = -1
            yield _event(
                ChildLeftCare,
                child.la,
                day,
                f"{child.child_id}/left",
                {"child_id": child.child_id, "date": day, "reason": "E4A"},
            )


def _placement(rng: random.Random, child: _Child, day: date, reason: str) -> Envelope:
    child.placement += 1
    pid = f"{child.child_id}-{child.placement}"
    near = rng.random() < 0.7
    dx, dy = (
        (rng.randrange(-20_000, 20_000), rng.randrange(-20_000, 20_000))
        if near
        else (60_000, 10_000)
    )
    return _event(
        PlacementStarted,
        child.la,
        day,
        f"{pid}/start",
        {
            "placement_id": pid,
            "child_id": child.child_id,
            "date": day,
            "reason": reason,
            "placement_type": rng.choice(PLACES),
            "provider": rng.choice(PROVIDERS),
            "placement_location": {"easting": child.home[0] + dx, "northing": child.home[1] + dy},
            "placement_la": child.la if near else "E10000024",
            "weekly_cost": float(rng.choice([634, 974, 3770, 7326])),
        },
    )
