"""Supply indicators: occupancy of the LA's own homes, and vacancies."""

from collections import Counter
from datetime import date

from services.metrics.domain.facts import LaFacts, is_open
from services.metrics.domain.indicator import Indicator, count, mean, ratio


def own_home_occupancy(facts: LaFacts, day: date) -> list[Indicator]:
    """Occupied over registered places of own-LA homes registered at the date, by kind."""
    homes = {h.home_id: h for h in facts.homes.values()
             if h.provider == "own_la" and is_open(h.registered, h.deregistered, day)}
    registered: Counter[str] = Counter()
    for home in homes.values():
        registered[home.kind] += home.registered_places
    occupied: Counter[str] = Counter()
    for placement in facts.placements.values():
        if placement.home_id in homes and is_open(placement.start, placement.end, day):
            occupied[homes[placement.home_id].kind] += 1
    out = [ratio("own_home_occupancy", occupied[k], registered[k], k) for k in sorted(registered)]
    return [ratio("own_home_occupancy", sum(occupied.values()), sum(registered.values())), *out]


def vacancies(facts: LaFacts, day: date) -> list[Indicator]:
    open_now = [v for v in facts.vacancies.values() if is_open(v.opened, v.closed, day)]
    by_kind: Counter[str] = Counter()
    shared = 0
    for v in open_now:
        home = facts.homes.get(v.home_id)
        by_kind[home.kind if home else "other"] += v.places
        shared += bool(home and home.share_regionally)
    days_open = sum((day - v.opened).days for v in open_now)
    return [
        count("open_vacancies", sum(v.places for v in open_now)),
        *(count("open_vacancies", n, kind) for kind, n in sorted(by_kind.items())),
        mean("vacancy_mean_days_open", days_open, len(open_now), "days"),
        ratio("vacancy_shared_ratio", shared, len(open_now)),
    ]
