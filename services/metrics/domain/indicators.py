"""Every indicator of INDICATORS.md for one LA as of a date, and for a region.

`compute_all(facts, as_of, reference)` returns a flat list of `Indicator`s
(one per name and breakdown), with the target in force at `as_of` and its
RAG status. `aggregate_region` is in region.py and re-exported here.
This is the computation from scratch, for any date; the live projection
keeps today's figures per child instead (tally.py), which must equal it.
"""

from collections.abc import Callable
from datetime import date

from services.metrics.domain import (
    cohort,
    cost,
    placements,
    population,
    referrals,
    stability,
    supply,
)
from services.metrics.domain.cohort import AsOf
from services.metrics.domain.facts import LaFacts
from services.metrics.domain.index import index_of
from services.metrics.domain.indicator import Indicator
from services.metrics.domain.rag import with_targets
from services.metrics.domain.reference import ReferenceForLa
from services.metrics.domain.region import aggregate_region

__all__ = ["COMPUTATIONS", "Indicator", "aggregate_region", "compute_all"]

COMPUTATIONS: tuple[Callable[[AsOf], list[Indicator]], ...] = (
    population.children_in_care,
    population.starts_and_ceased,
    placements.placement_mix,
    placements.provider_mix,
    placements.distance,
    placements.inside_la_boundary,
    stability.three_plus_placements,
    stability.long_term_stability,
    supply.own_home_occupancy,
    supply.vacancies,
    referrals.referral_to_placement,
    referrals.open_referrals,
    referrals.emergency_placements,
    population.uasc_share,
    cost.weekly_cost,
    cost.framework_use,
)


def compute_all(facts: LaFacts, as_of: date, reference: ReferenceForLa) -> list[Indicator]:
    ctx = cohort.as_of(index_of(facts), as_of, reference)
    values = [v for compute in COMPUTATIONS for v in compute(ctx)]
    return with_targets(values, reference, as_of)
