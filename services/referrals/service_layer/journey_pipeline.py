"""Ingesting journey events: the rules, the state they change, the topic they go to."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from services.referrals.adapters import journey_store as store
from services.referrals.domain.journey_rules import Context, check, evolve_child
from shared.events.envelope import Envelope
from shared.events.journey import JourneyEvent, PlacementEnded, PlacementStarted, ReferralClosed
from shared.events.registry import parse_journey
from shared.ingest.batch import Pipeline
from shared.kafka.topics import JOURNEY


def _child_id(s: Session, event: JourneyEvent) -> str | None:
    if isinstance(event, ReferralClosed):
        return store.child_of_referral(s, event.la, event.data.referral_id)
    return event.data.child_id


def _context(s: Session, event: JourneyEvent, skew: timedelta) -> Context:
    child_id = _child_id(s, event)
    child = store.load_child(s, event.la, child_id) if child_id else None
    placement = (
        store.load_placement(s, event.la, event.data.placement_id)
        if isinstance(event, PlacementStarted | PlacementEnded)
        else None
    )
    referral_id = (
        getattr(event.data, "referral_id", None) if isinstance(event, ReferralClosed) else None
    )
    referral = store.load_referral(s, event.la, referral_id) if referral_id else None
    return Context(child, placement, referral, datetime.now(UTC), skew)


def journey_pipeline(skew: timedelta) -> Pipeline[JourneyEvent]:
    def rules(s: Session, event: JourneyEvent) -> list[tuple[str, str, str]]:
        return [(v.pointer, v.reason, v.message) for v in check(event, _context(s, event, skew))]

    def apply(s: Session, event: JourneyEvent) -> Sequence[Envelope]:
        child_id = _child_id(s, event)
        before = store.load_child(s, event.la, child_id) if child_id else None
        store.record_placements(s, event.la, before, event)
        after = evolve_child(before, event)
        if after is not None and after != before:
            store.save_child(s, event.la, after)
        return []

    def route(s: Session, event: Envelope) -> tuple[str, str]:
        assert isinstance(event, JourneyEvent)
        return JOURNEY, _child_id(s, event) or str(event.subject or event.id)

    return Pipeline(
        parse=parse_journey, check=rules, apply=apply, route=route, prepare=store.prefetch
    )
