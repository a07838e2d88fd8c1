"""Supply indicators: occupancy of the LA's own homes, and open vacancies.

Occupancy: for homes with provider own_la owned by this LA and registered at
D, occupied places / registered places (places in force at D), by home kind
and in total; kind, provider and owner are those in force at D (a home
registered again as another kind counts as that kind from that day on).
Occupied = placements open at the END of D in that home (one that ends on D
has left; one that starts on D has arrived), whatever the child's legal
status, since a short-break child uses a bed too. Only this LA's placements
are seen: another LA's child in our home is not counted.

Vacancies open at D (opened on or before D as last posted on or before D,
not closed on or before D),
counted in places left at the end of D (fills dated after D do not count:
every as-of figure depends only on events dated on or before D), by home kind,
provider and location LA in force at D; mean days open and the share shared regionally
are per vacancy.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date

from services.metrics.domain.cohort import AsOf
from services.metrics.domain.facts import HomeFacts, VacancyFacts
from services.metrics.domain.indicator import Indicator, count, ratio
from shared.events.common import HomeKind, HomeProvider

NOT_KNOWN = "not_known"


def own_home_occupancy(ctx: AsOf) -> list[Indicator]:
    day = ctx.day

    def occupied(home_id: str) -> int:
        rows = ctx.index.home_placements.get(home_id, ())
        return sum(1 for r in rows if r.open_at_end_of(day))

    return own_home_occupancy_from(ctx.index.homes, ctx.la, day, occupied)


def own_home_occupancy_from(
    homes: Iterable[HomeFacts], la: str, day: date, occupied: Callable[[str], int]
) -> list[Indicator]:
    """`occupied(home_id)`: the LA's placements open at the end of `day` in that home."""
    registered: Counter[str] = Counter()
    in_use: Counter[str] = Counter()
    for home in homes:
        if home.provider_on(day) != HomeProvider.OWN_LA or home.owner_la_on(day) != la:
            continue
        if not home.registered_on(day):
            continue
        kind = home.kind_on(day)
        registered[kind] += home.places_on(day)
        in_use[kind] += occupied(home.home_id)
    kinds = [str(k) for k in HomeKind if registered[str(k)]]
    return [
        ratio("own_home_occupancy", sum(in_use.values()), sum(registered.values())),
        *(ratio("own_home_occupancy", in_use[k], registered[k], breakdown=k) for k in kinds),
    ]


def _shared_on(v: VacancyFacts, home: HomeFacts | None, day: date) -> bool:
    """Shared when it opened and following its home's changes: on `day`, the
    home's setting in force that day."""
    return home.shared_on(day) if home else v.shared_regionally


def vacancies(ctx: AsOf) -> list[Indicator]:
    day = ctx.day
    homes = {h.home_id: h for h in ctx.index.homes}
    open_now = [v for v in ctx.index.vacancies if v.open_on(day)]
    by_kind: Counter[str] = Counter()
    by_provider: Counter[str] = Counter()
    by_la: Counter[str] = Counter()
    left = {v.vacancy_id: v.places_left_on(day) for v in open_now}
    for v in open_now:
        home: HomeFacts | None = homes.get(v.home_id)
        by_kind[home.kind_on(day) if home else NOT_KNOWN] += left[v.vacancy_id]
        by_provider[home.provider_on(day) if home else NOT_KNOWN] += left[v.vacancy_id]
        by_la[home.location_la_on(day) if home else NOT_KNOWN] += left[v.vacancy_id]
    days_open = sum((day - v.opened_on(day)).days for v in open_now)
    shared = sum(1 for v in open_now if _shared_on(v, homes.get(v.home_id), day))
    kinds = [str(k) for k in HomeKind] + ([NOT_KNOWN] if by_kind[NOT_KNOWN] else [])
    providers = [str(p) for p in HomeProvider] + ([NOT_KNOWN] if by_provider[NOT_KNOWN] else [])
    return [
        count("open_vacancies", sum(left.values())),
        *(count("open_vacancies", by_kind[k], k) for k in kinds),
        *(count("open_vacancies_by_provider", by_provider[p], p) for p in providers),
        *(count("open_vacancies_by_location_la", n, la) for la, n in sorted(by_la.items())),
        ratio("vacancy_mean_days_open", days_open, len(open_now), "days"),
        ratio("vacancy_shared_ratio", shared, len(open_now)),
    ]
