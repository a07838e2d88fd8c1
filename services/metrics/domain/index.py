"""Facts sorted and joined once per facts version, so any date is cheap.

Everything that does not depend on the as-of date is worked out here: each
placement's category, own/external side, distance from home, whether it is
inside the LA and since when the child has had that carer; each period's
first non-short-break legal status. Asking "as of D" is then bisection and
counting. `index_of` caches the index on the facts until they change.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date

from services.metrics.domain.distance import placement_miles
from services.metrics.domain.facts import (
    ChildFacts,
    HomeFacts,
    LaFacts,
    LegalStatusSpan,
    PeriodOfCare,
    PlacementFacts,
    ReferralFacts,
    VacancyFacts,
)
from shared.codes.categories import PlacementCategory, category_of
from shared.codes.ssda903 import NEW_CARER_REASONS, SHORT_BREAK_LEGAL_STATUS

OWN_PROVIDER = "PR1"
PARENTS_PROVIDER = "PR0"


def side_of(provider: str) -> str:
    """own (PR1), parents (PR0) or external (PR2-PR5: other LA, public, private, voluntary)."""
    if provider == OWN_PROVIDER:
        return "own"
    return "parents" if provider == PARENTS_PROVIDER else "external"


@dataclass(frozen=True, slots=True)
class PlacementRow:
    facts: PlacementFacts
    category: PlacementCategory
    side: str
    miles: float | None  # None: not known
    inside_la: bool
    carer_since: date  # start of the run of placements with this carer (RNE T/U links)
    home: HomeFacts | None

    def open_at_end_of(self, day: date) -> bool:
        return self.facts.start <= day and (self.facts.end is None or self.facts.end > day)


@dataclass(frozen=True, slots=True)
class PeriodRow:
    period: PeriodOfCare
    first_status: date | None  # first legal status known in the period
    first_not_short_break: date | None  # first status other than V3/V4
    status_starts: tuple[date, ...] = ()  # the period's legal statuses, by start
    statuses: tuple[str, ...] = ()

    def covers(self, day: date) -> bool:
        """Looked after at the end of `day`: the DfE's "at 31 March" leaves out a
        child whose episode ceased that day (DEC is then 31 March, not blank)."""
        return self.period.start <= day and (self.period.end is None or self.period.end > day)

    def short_breaks_only(self, day: date) -> bool:
        """Every legal status in force in the period up to `day` is V3/V4."""
        if self.first_status is None or self.first_status > day:
            return False
        return self.first_not_short_break is None or self.first_not_short_break > day

    def short_break_on(self, day: date) -> bool:
        """The legal status in force at the end of `day` is V3/V4 (the episode
        open on that day is a short break), whatever came before it."""
        i = bisect_right(self.status_starts, day) - 1
        return i >= 0 and self.statuses[i] in SHORT_BREAK_LEGAL_STATUS


@dataclass(frozen=True, slots=True)
class ChildRow:
    child: ChildFacts | None
    periods: tuple[PeriodRow, ...]
    period_starts: tuple[date, ...]
    placements: tuple[PlacementRow, ...]
    placement_starts: tuple[date, ...]
    new_carer_starts: tuple[date, ...]

    def period_on(self, day: date) -> PeriodRow | None:
        i = bisect_right(self.period_starts, day) - 1
        return self.periods[i] if i >= 0 and self.periods[i].covers(day) else None

    def placement_on(self, day: date) -> PlacementRow | None:
        """The placement the child is in at the end of `day`."""
        i = bisect_right(self.placement_starts, day) - 1
        if i < 0:
            return None
        row = self.placements[i]
        return row if row.open_at_end_of(day) else None

    def placements_counted(self, first: date, day: date) -> int:
        """Placements in [first, day] as the DfE counts them for "3 or more".

        The placement the child was in when the window opened (not ended
        before `first`) counts once; after that, only new-carer starts
        (RNE S, P, B) count.
        """
        n = bisect_right(self.new_carer_starts, day) - bisect_left(self.new_carer_starts, first)
        i = bisect_left(self.placement_starts, first) - 1
        if i >= 0:
            end = self.placements[i].facts.end
            if end is None or end >= first:
                n += 1
        return n


@dataclass(frozen=True, slots=True)
class PlacedReferral:
    closed: date
    days: float  # received to the start of the placement that closed it


@dataclass(frozen=True, slots=True)
class FactsIndex:
    la: str
    children: tuple[ChildRow, ...]
    new_carer_placements: tuple[PlacementRow, ...]  # sorted by start
    new_carer_starts: tuple[date, ...]
    placed_referrals: tuple[PlacedReferral, ...]  # sorted by closed
    placed_closed: tuple[date, ...]
    referrals: tuple[ReferralFacts, ...]
    homes: tuple[HomeFacts, ...]
    home_placements: dict[str, tuple[PlacementRow, ...]]  # by home id
    vacancies: tuple[VacancyFacts, ...]

    def new_carer_placements_in(self, first: date, day: date) -> tuple[PlacementRow, ...]:
        lo = bisect_left(self.new_carer_starts, first)
        return self.new_carer_placements[lo : bisect_right(self.new_carer_starts, day)]

    def placed_referrals_in(self, first: date, day: date) -> tuple[PlacedReferral, ...]:
        lo = bisect_left(self.placed_closed, first)
        return self.placed_referrals[lo : bisect_right(self.placed_closed, day)]


def index_of(facts: LaFacts) -> FactsIndex:
    cached = facts.cache.get("index")
    if isinstance(cached, tuple) and cached[0] == facts.version:
        index: FactsIndex = cached[1]
        return index
    index = build_index(facts, child_rows(facts).rows)
    facts.cache["index"] = (facts.version, index)
    return index


# The change log keeps at most this many entries more than the LA has
# children; older entries are dropped, and a reader that had not read them
# starts again from every row, which costs about what reading them would.
_LOG_SLACK = 4096


@dataclass(slots=True)
class ChildRows:
    """Each child's row, kept between builds: a new event touches a few
    children, and rebuilding only theirs keeps a big LA's index cheap.

    `log` names, in order, each child whose row was rebuilt, so a reader that
    keeps its own per-child figures (tally.py) can redo only those: it
    remembers how far it read (`log_end`) and asks `changed_since`. A new
    `ChildRows` (a home changed: every placement's row reads its home) means
    every row may have changed."""

    homes: dict[str, HomeFacts]  # the homes the rows were built against
    rows: dict[str, ChildRow]
    log: list[str] = field(default_factory=list)
    log_start: int = 0  # position of log[0] since these rows were built

    @property
    def log_end(self) -> int:
        return self.log_start + len(self.log)

    def changed_since(self, position: int) -> list[str] | None:
        """Children rebuilt since `position`; None when that part of the log is gone."""
        if position < self.log_start:
            return None
        return self.log[position - self.log_start :]

    def record(self, children: set[str]) -> None:
        self.log.extend(children)
        excess = len(self.log) - len(self.rows) - _LOG_SLACK
        if excess > 0:
            del self.log[: excess + _LOG_SLACK // 2]
            self.log_start += excess + _LOG_SLACK // 2


def child_rows(facts: LaFacts) -> ChildRows:
    """The LA's child rows, brought up to date with the children touched since."""
    kept = facts.cache.get("child_rows")
    if isinstance(kept, ChildRows) and kept.homes == facts.homes:
        if facts.touched:
            by_urn = _by_urn(facts)
            for child_id in facts.touched:
                row = _child_row(facts, child_id, by_urn)
                if row is None:
                    kept.rows.pop(child_id, None)
                else:
                    kept.rows[child_id] = row
            kept.record(facts.touched)
    else:  # first build, or a home changed: its placements' rows depend on it
        kept = ChildRows(dict(facts.homes), all_child_rows(facts))
        facts.cache["child_rows"] = kept
    facts.touched.clear()
    return kept


def all_child_rows(facts: LaFacts) -> dict[str, ChildRow]:
    by_urn = _by_urn(facts)
    ids = set(facts.periods) | set(facts.placements_by_child)
    return {c: row for c in ids if (row := _child_row(facts, c, by_urn)) is not None}


def _by_urn(facts: LaFacts) -> dict[str, HomeFacts]:
    return {h.urn: h for h in facts.homes.values() if h.urn}


def _child_row(facts: LaFacts, child_id: str, by_urn: dict[str, HomeFacts]) -> ChildRow | None:
    placements = facts.placements_of(child_id)
    periods = facts.periods.get(child_id, [])
    if not placements and not periods:
        return None
    rows = _placement_rows(facts, facts.children.get(child_id), placements, by_urn)
    period_rows = tuple(_period_row(p, facts.legal_statuses.get(child_id, [])) for p in periods)
    return ChildRow(
        facts.children.get(child_id),
        period_rows,
        tuple(p.period.start for p in period_rows),
        rows,
        tuple(r.facts.start for r in rows),
        tuple(r.facts.start for r in rows if r.facts.reason in NEW_CARER_REASONS),
    )


def build_index(facts: LaFacts, child_rows: dict[str, ChildRow]) -> FactsIndex:
    children = [child_rows[c] for c in sorted(child_rows)]
    all_rows = [r for child in children for r in child.placements]
    new_carer = sorted(
        (r for r in all_rows if r.facts.reason in NEW_CARER_REASONS), key=lambda r: r.facts.start
    )
    placed = _placed_referrals(facts)
    home_placements: dict[str, list[PlacementRow]] = {}
    for r in all_rows:
        if r.home is not None:
            home_placements.setdefault(r.home.home_id, []).append(r)
    return FactsIndex(
        la=facts.la,
        children=tuple(children),
        new_carer_placements=tuple(new_carer),
        new_carer_starts=tuple(r.facts.start for r in new_carer),
        placed_referrals=placed,
        placed_closed=tuple(p.closed for p in placed),
        referrals=tuple(facts.referrals.values()),
        homes=tuple(facts.homes.values()),
        home_placements={k: tuple(v) for k, v in home_placements.items()},
        vacancies=tuple(facts.vacancies.values()),
    )


def side_index(facts: LaFacts) -> FactsIndex:
    """The index without its children: what the indicators that do not go
    child by child read (referrals, homes, vacancies), for the tallied path."""
    placed = _placed_referrals(facts)
    return FactsIndex(
        la=facts.la,
        children=(),
        new_carer_placements=(),
        new_carer_starts=(),
        placed_referrals=placed,
        placed_closed=tuple(p.closed for p in placed),
        referrals=tuple(facts.referrals.values()),
        homes=tuple(facts.homes.values()),
        home_placements={},
        vacancies=tuple(facts.vacancies.values()),
    )


def _placement_rows(
    facts: LaFacts,
    child: ChildFacts | None,
    placements: list[PlacementFacts],
    by_urn: dict[str, HomeFacts],
) -> tuple[PlacementRow, ...]:
    rows: list[PlacementRow] = []
    for p in placements:
        home = facts.homes.get(p.home_id or "") or (by_urn.get(p.urn) if p.urn else None)
        # The home's location when the placement began: a later move of the home
        # must not change figures as of earlier days.
        location = p.placement_location or (home.location_on(p.start) if home else None)
        placement_la = p.placement_la or (home.location_la_on(p.start) if home else None)
        miles = placement_miles(
            child.home_location if child else None, location, child.uasc if child else False
        )
        since = p.start
        if rows and p.reason not in NEW_CARER_REASONS:
            previous = rows[-1].facts
            if previous.end is None or previous.end >= p.start:  # contiguous: same carer
                since = rows[-1].carer_since
        rows.append(
            PlacementRow(
                p,
                category_of(p.place),
                side_of(p.provider),
                miles,
                placement_la == facts.la,
                since,
                home,
            )
        )
    return tuple(rows)


def _period_row(period: PeriodOfCare, spans: list[LegalStatusSpan]) -> PeriodRow:
    inside = [
        s
        for s in spans
        if s.start >= period.start and (period.end is None or s.start <= period.end)
    ]
    first = inside[0].start if inside else None
    not_sb = next((s.start for s in inside if s.legal_status not in SHORT_BREAK_LEGAL_STATUS), None)
    return PeriodRow(
        period,
        first,
        not_sb,
        tuple(s.start for s in inside),
        tuple(s.legal_status for s in inside),
    )


def _placed_referrals(facts: LaFacts) -> tuple[PlacedReferral, ...]:
    out = []
    for r in facts.referrals.values():
        if r.outcome != "placed" or r.closed is None:
            continue
        placement = facts.placements.get(r.placement_id or "")
        placed_on = placement.start if placement else r.closed
        out.append(PlacedReferral(r.closed, float(max(0, (placed_on - r.received).days))))
    return tuple(sorted(out, key=lambda p: p.closed))
