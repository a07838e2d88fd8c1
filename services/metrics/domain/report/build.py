"""The report from its inputs: the sections in the order a strategy's evidence base has them."""

from services.metrics.domain.report import people, supply
from services.metrics.domain.report.inputs import ReportInputs
from services.metrics.domain.report.model import Report, Section

SECTIONS = (
    people.headline,
    people.children_in_care,
    people.starts_and_ceased,
    people.placement_mix,
    people.distance,
    people.stability,
    supply.provider_and_spend,
    supply.occupancy,
    people.referrals,
    supply.gap,
    supply.regional_supply,
)


def build(inp: ReportInputs) -> Report:
    sections: tuple[Section, ...] = tuple(make(inp) for make in SECTIONS)
    return Report(
        inp.scope,
        inp.scope_name,
        inp.is_region,
        inp.as_of,
        inp.suppressed,
        inp.suppress_below,
        sections,
    )
