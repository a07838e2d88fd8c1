"""Yearly census transitions between placement categories, for the flow model.

For each year to 31 March: a child in care at the start in category i is, at
the end, in category j (a move, or staying when i == j) or out of care (an
exit); a child who came in during the year and is in care at the end in j is
an entrant to j.
"""

import itertools
from datetime import date, datetime

import numpy as np

from services.forecast.adapters.care_states import OUT
from services.forecast.domain.flow import FlowHistory, Matrix
from shared.codes.categories import PlacementCategory

STATES = tuple(str(c) for c in PlacementCategory)
Timeline = list[tuple[date, datetime, str]]


def state_at(timeline: Timeline, day: date) -> str | None:
    """The child's state at the end of `day` (None: not yet in care)."""
    current = None
    for when, _, state in timeline:
        if when > day:
            break
        current = state
    return None if current in (None, OUT) else current


def flow_history(timelines: dict[str, Timeline], last: date, years: int) -> FlowHistory | None:
    ends = [
        date(last.year - k, 3, 31)
        for k in range(years, -1, -1)
        if date(last.year - k, 3, 31) <= last
    ]
    if len(ends) < 3:
        return None
    index = {s: i for i, s in enumerate(STATES)}
    s = len(STATES)
    moves: list[Matrix] = []
    exits: list[tuple[float, ...]] = []
    entrants: list[tuple[float, ...]] = []
    for start, end in itertools.pairwise(ends):
        m, ex, en = np.zeros((s, s)), np.zeros(s), np.zeros(s)
        for timeline in timelines.values():
            before, after = state_at(timeline, start), state_at(timeline, end)
            if before is not None and after is not None:
                m[index[before], index[after]] += 1
            elif before is not None:
                ex[index[before]] += 1
            elif after is not None:
                en[index[after]] += 1
        moves.append(_matrix(m))
        exits.append(tuple(float(x) for x in ex))
        entrants.append(tuple(float(x) for x in en))
    if not any(np.asarray(m).sum() for m in moves):
        return None
    return FlowHistory(
        states=STATES,
        ends=tuple(ends[1:]),
        moves=tuple(moves),
        exits=tuple(exits),
        entrants=tuple(entrants),
    )


def _matrix(m: np.ndarray) -> Matrix:
    return tuple(tuple(float(x) for x in row) for row in m)
