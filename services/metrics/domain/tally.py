"""One LA's indicators as of one day, kept up to date child by child.

`compute_all` passes over every child of the LA each time: the cohort, then
each indicator in turn. For an LA of 40,000 children that is half a second of
CPU per computation, and a busy LA's figures change several times a second.
A `Tally` keeps instead, for one LA and one as-of day,

* each child's part in every indicator that counts children or their
  placements (a `ChildPart`: the counters the child adds one to, and the
  weekly cost of their current placement), and
* the running totals of those parts.

When events touch some children, `Tally.indicators` takes their old parts
away and adds their new ones: the work is O(children touched), not O(LA).
The child rows (index.py) say which children were rebuilt, in a log the
tally reads from where it stopped; when every row may have changed (a home
changed, since placements' rows read it) or the tally fell behind the log's
oldest entry, it starts again from every child. Every part depends on the day, so a new day
is a new tally. The reference data (population, targets) is read only when
the totals become indicators, so a change of it needs nothing here.

The indicators that are not sums over children are worked out from their own
inputs each time, which are few (referrals, homes, vacancies): referral
times' median and 90th percentile, open referrals, vacancies, and the
registered places of own homes (their occupied places are tallied).

Exactness: counts are integers, and the weekly costs are summed as fractions
(exact) and rounded once, as `cost.weekly_cost` rounds its `math.fsum`, so the
figures equal `compute_all`'s to the last bit (tests/unit/metrics/
test_tally.py compares them after random batches). A cost that is not a
finite number has no exact fraction: the tally then answers with
`compute_all` until that cost is gone.
"""

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from services.metrics.domain import cost, placements, population, referrals, stability, supply
from services.metrics.domain.cohort import AsOf, InCare, in_care_on
from services.metrics.domain.dates import window_start
from services.metrics.domain.facts import LaFacts
from services.metrics.domain.index import ChildRow, ChildRows, child_rows, side_index
from services.metrics.domain.indicator import Indicator
from services.metrics.domain.indicators import compute_all
from services.metrics.domain.rag import with_targets
from services.metrics.domain.reference import ReferenceForLa
from shared.codes.ssda903 import NEW_CARER_REASONS


class Counted(StrEnum):
    """What a child adds one to; a key pairs it with a breakdown ("" if none)."""

    COHORT = "cohort"
    UASC = "uasc"
    CATEGORY = "category"
    PROVIDER = "provider"
    NEAR = "near"
    DISTANCE_NOT_KNOWN = "distance_not_known"
    INSIDE_LA = "inside_la"
    THREE_PLUS = "three_plus"
    STABILITY_ELIGIBLE = "stability_eligible"
    STABLE = "stable"
    COSTED = "costed"  # by category.side
    NOT_FINITE_COST = "not_finite_cost"
    STARTED = "started"
    CEASED = "ceased"
    OPEN_IN_HOME = "open_in_home"  # by home id
    MADE = "made"  # new-carer placements made in the 12 months
    URGENT = "urgent"
    EXTERNAL_MADE = "external_made"  # by category
    FRAMEWORK_USED = "framework_used"  # by category


Key = tuple[Counted, str]

# One tuple per key, shared by every child's part: a large LA holds many parts.
_KEYS: dict[Key, Key] = {}


def _key(counted: Counted, breakdown: str = "") -> Key:
    key = (counted, breakdown)
    return _KEYS.setdefault(key, key)


@dataclass(frozen=True, slots=True)
class ChildPart:
    counted: tuple[Key, ...]
    cost: Fraction | None  # the current placement's weekly cost, keyed by `cost_key`
    cost_key: str | None


NOTHING = ChildPart((), None, None)


@dataclass(frozen=True, slots=True)
class _Day:
    day: date
    first: date  # first day of the 12 months to `day`
    stability: stability.StabilityDates

    @classmethod
    def of(cls, day: date) -> "_Day":
        return cls(day, window_start(day), stability.StabilityDates.of(day))


def part_of(row: ChildRow, on: _Day) -> ChildPart:
    keys: list[Key] = []
    began, ended = population.began_and_ended(row, on.first, on.day)
    if began:
        keys.append(_key(Counted.STARTED))
    if ended:
        keys.append(_key(Counted.CEASED))
    keys += _placement_keys(row, on)
    c = in_care_on(row, on.day)
    if c is None:
        return ChildPart(tuple(keys), None, None) if keys else NOTHING
    keys += _in_care_keys(c, on)
    p = c.placement
    weekly = p.facts.weekly_cost if p is not None else None
    if p is None or weekly is None:
        return ChildPart(tuple(keys), None, None)
    key = cost.cost_key(p)
    keys.append(_key(Counted.COSTED, key))
    if not math.isfinite(weekly):
        keys.append(_key(Counted.NOT_FINITE_COST))
        return ChildPart(tuple(keys), None, None)
    return ChildPart(tuple(keys), Fraction(weekly), key)


def _placement_keys(row: ChildRow, on: _Day) -> list[Key]:
    """Occupied homes at the end of the day, and new carers found in the 12 months."""
    keys = []
    for r in row.placements:
        if r.home is not None and r.open_at_end_of(on.day):
            keys.append(_key(Counted.OPEN_IN_HOME, r.home.home_id))
        if r.facts.reason not in NEW_CARER_REASONS or not on.first <= r.facts.start <= on.day:
            continue
        keys.append(_key(Counted.MADE))
        if r.facts.emergency:
            keys.append(_key(Counted.URGENT))
        if r.side == "external":
            keys.append(_key(Counted.EXTERNAL_MADE, str(r.category)))
            if r.facts.framework:
                keys.append(_key(Counted.FRAMEWORK_USED, str(r.category)))
    return keys


def _in_care_keys(c: InCare, on: _Day) -> list[Key]:
    keys = [
        _key(Counted.COHORT),
        _key(Counted.CATEGORY, placements.category_of(c.placement)),
        _key(Counted.PROVIDER, placements.provider_of(c.placement)),
    ]
    near, not_known = placements.near_or_unknown(c.placement)
    eligible, stable = stability.long_term(c, on.stability)
    flags = (
        (c.child.uasc, Counted.UASC),
        (near, Counted.NEAR),
        (not_known, Counted.DISTANCE_NOT_KNOWN),
        (placements.inside_la(c.placement), Counted.INSIDE_LA),
        (stability.three_plus(c, on.first, on.day), Counted.THREE_PLUS),
        (eligible, Counted.STABILITY_ELIGIBLE),
        (stable, Counted.STABLE),
    )
    return keys + [_key(counted) for flag, counted in flags if flag]


class Tally:
    """Running totals of one LA's child parts as of `day` (see the module's docstring)."""

    def __init__(self, day: date) -> None:
        self.day = day
        self._on = _Day.of(day)
        self._parts: dict[str, ChildPart] = {}
        self._counts: Counter[Key] = Counter()
        self._costs: dict[str, Fraction] = {}
        self._source: ChildRows | None = None
        self._read = 0  # how far into the source's log the parts are up to date

    def indicators(self, facts: LaFacts, reference: ReferenceForLa) -> list[Indicator]:
        self._update(child_rows(facts))
        if self._counts[_key(Counted.NOT_FINITE_COST)]:
            return compute_all(facts, self.day, reference)
        return with_targets(self._values(facts, reference), reference, self.day)

    def _update(self, rows: ChildRows) -> None:
        changed = rows.changed_since(self._read) if rows is self._source else None
        if changed is None:
            self._restart(rows)
        else:
            for child_id in set(changed):
                self._replace(child_id, rows.rows.get(child_id))
        self._read = rows.log_end

    def _restart(self, rows: ChildRows) -> None:
        self._parts.clear()
        self._counts.clear()
        self._costs.clear()
        self._source = rows
        for child_id, row in rows.rows.items():
            self._replace(child_id, row)

    def _replace(self, child_id: str, row: ChildRow | None) -> None:
        old = self._parts.pop(child_id, NOTHING)
        self._add(old, -1)
        if row is not None:
            new = part_of(row, self._on)
            self._parts[child_id] = new
            self._add(new, 1)

    def _add(self, part: ChildPart, sign: int) -> None:
        for key in part.counted:
            self._counts[key] += sign
        if part.cost is not None and part.cost_key is not None:
            self._costs[part.cost_key] = self._costs.get(part.cost_key, Fraction(0)) + (
                part.cost * sign
            )

    def _by(self, counted: Counted) -> dict[str, int]:
        return {key[1]: n for key, n in self._counts.items() if key[0] is counted}

    def _values(self, facts: LaFacts, reference: ReferenceForLa) -> list[Indicator]:
        """The indicators in `indicators.COMPUTATIONS`' order, from the totals."""
        on, counts = self._on, self._counts
        n = counts[_key(Counted.COHORT)]
        side = side_index(facts)
        ctx = AsOf(side, on.day, on.first, (), reference)
        open_in = self._by(Counted.OPEN_IN_HOME)
        return [
            *population.children_in_care_from(n, reference.population_on(on.day)),
            *population.starts_and_ceased_from(
                counts[_key(Counted.STARTED)], counts[_key(Counted.CEASED)]
            ),
            *placements.mix_from(
                "placement_mix", placements.CATEGORIES, self._by(Counted.CATEGORY), n
            ),
            *placements.mix_from(
                "provider_mix", placements.PROVIDERS, self._by(Counted.PROVIDER), n
            ),
            *placements.distance_from(
                counts[_key(Counted.NEAR)], counts[_key(Counted.DISTANCE_NOT_KNOWN)], n
            ),
            *placements.inside_la_boundary_from(counts[_key(Counted.INSIDE_LA)], n),
            *stability.three_plus_from(counts[_key(Counted.THREE_PLUS)], n),
            *stability.long_term_stability_from(
                counts[_key(Counted.STABLE)], counts[_key(Counted.STABILITY_ELIGIBLE)]
            ),
            *supply.own_home_occupancy_from(
                side.homes, facts.la, on.day, lambda home_id: open_in.get(home_id, 0)
            ),
            *supply.vacancies(ctx),
            *referrals.referral_to_placement(ctx),
            *referrals.open_referrals(ctx),
            *referrals.emergency_placements_from(
                counts[_key(Counted.URGENT)], counts[_key(Counted.MADE)]
            ),
            *population.uasc_share_from(counts[_key(Counted.UASC)], n),
            *cost.weekly_cost_from(
                {k: float(v) for k, v in self._costs.items()},
                self._by(Counted.COSTED),
                float(sum(self._costs.values(), Fraction(0))),
            ),
            *cost.framework_use_from(
                self._by(Counted.FRAMEWORK_USED), self._by(Counted.EXTERNAL_MADE)
            ),
        ]
