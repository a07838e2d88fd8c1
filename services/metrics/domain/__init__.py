"""The metrics domain (pure: no I/O, no clock): facts folded from events, and
indicators computed from facts as of any date.

facts.py        LaFacts and the fact types (one LA)
projection.py   apply(facts, event): the fold (journey_fold.py, supply_fold.py, derive.py)
index.py        facts sorted and joined once per facts version
cohort.py       children looked after at a date; the as-of context
population.py placements.py stability.py supply.py referrals.py cost.py
                the indicators of INDICATORS.md
indicators.py   compute_all(facts, as_of, reference); aggregate_region (region.py)
catalogue.py    every indicator's unit, kind and which figures count people
reference.py    ReferenceForLa (population, dated targets); rag.py: red/amber/green
small_numbers.py, series.py, quantiles.py, distance.py, dates.py: helpers
"""
