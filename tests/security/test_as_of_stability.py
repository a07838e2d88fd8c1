"""As-of figures depend only on events dated on or before the as-of date.

A property test (hypothesis): random worlds of children, placements,
referrals, homes and vacancies, delivered in random orders (each child's and
each home's events keep their order, as the Kafka keys keep them); every
indicator of the metrics projection as of a random date is the same whether
or not the events dated after that date have arrived. The same for the
vacancies service's as-of views (occupancy of a home and of an LA).

Corrections and retractions are left out on purpose: they restate the past,
so they may change past figures (README, Departures).
"""

import random
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import SQLModel

from services.metrics.domain.indicators import compute_all
from services.metrics.domain.reference import ReferenceForLa
from services.vacancies.adapters.queries import places_and_stays
from services.vacancies.adapters.tables import TABLES as VACANCY_TABLES
from services.vacancies.domain.occupancy import Occupancy, occupancy
from services.vacancies.service_layer.journey_consumer import handle
from services.vacancies.service_layer.supply_pipeline import supply_pipeline
from shared.db import make_engine, transaction
from shared.events.envelope import Envelope
from shared.ingest.batch import ingest
from tests.unit.metrics import builders as b

BASE = date(2023, 1, 1)
DERBY = b.DERBY


def day(n: int) -> str:
    return (BASE + timedelta(days=n)).isoformat()


@dataclass
class World:
    """Events by Kafka key (a child, or a home with its vacancies), each in order."""

    streams: dict[str, list[tuple[int, Envelope]]] = field(default_factory=dict)
    homes: list[tuple[str, int]] = field(default_factory=list)  # (home id, registered)

    def add(self, key: str, when: int, event: Envelope) -> None:
        self.streams.setdefault(key, []).append((when, event))


KINDS = ["childrens_home", "foster_household", "supported_accommodation"]


@st.composite
def homes(draw: st.DrawFn, world: World) -> None:
    for h in range(draw(st.integers(0, 3))):
        home_id, registered = f"H{h}", draw(st.integers(0, 120))
        world.homes.append((home_id, registered))
        attributes: dict[str, Any] = {
            "kind": draw(st.sampled_from(KINDS)),
            "provider": draw(st.sampled_from(["own_la", "private"])),
            "share": draw(st.booleans()),
            "location_la": draw(st.sampled_from([DERBY, b.NOTTINGHAM])),
            "location": (440_000, 340_000),
        }
        places = draw(st.integers(1, 4))
        world.add(
            home_id, registered, b.home(home_id, day(registered), places=places, **attributes)
        )
        when = registered
        for _ in range(draw(st.integers(0, 2))):
            when += draw(st.integers(1, 150))
            change: dict[str, Any] = draw(
                st.sampled_from(
                    [
                        {"registered_places": 3},
                        {"share_regionally": True},
                        {"share_regionally": False},
                        {"location_la": b.NOTTINGHAM},
                        {"location": {"easting": 470_000, "northing": 370_000}},
                        {},  # registered again while open, perhaps as another kind
                    ]
                )
            )
            if change:
                world.add(home_id, when, b.home_updated(home_id, day(when), **change))
            else:
                again = registration(draw, attributes)
                world.add(home_id, when, b.home(home_id, day(when), places=2, **again))
        vacancies(draw, world, home_id, registered)
        if draw(st.booleans()):
            when += draw(st.integers(1, 200))
            world.add(home_id, when, b.home_deregistered(home_id, day(when)))
            if draw(st.booleans()):  # and registered again, perhaps as another kind
                when += draw(st.integers(1, 100))
                again = registration(draw, attributes)
                world.add(home_id, when, b.home(home_id, day(when), places=2, **again))


def registration(draw: st.DrawFn, attributes: dict[str, Any]) -> dict[str, Any]:
    """A home's attributes registered again: kind, provider and owner may change."""
    return {
        **attributes,
        "kind": draw(st.sampled_from(KINDS)),
        "provider": draw(st.sampled_from(["own_la", "private"])),
        "owner": draw(st.sampled_from([DERBY, DERBY, b.NOTTINGHAM])),
    }


def vacancies(draw: st.DrawFn, world: World, home_id: str, registered: int) -> None:
    for v in range(draw(st.integers(0, 2))):
        vid, when = f"{home_id}-V{v}", registered + draw(st.integers(0, 200))
        places = draw(st.integers(1, 3))
        opens = day(when + draw(st.integers(0, 30)))
        world.add(
            home_id, when, b.vacancy(vid, home_id, day(when), places=places, available_from=opens)
        )
        for step in range(draw(st.integers(0, 4))):
            when += draw(st.integers(0, 60))
            action = draw(
                st.sampled_from(["held", "reopened", "filled", "filled", "closed", "posted"])
            )
            if action == "posted":  # posted again: another opening day, perhaps other places
                opens = day(when + draw(st.integers(-30, 40)))
                places = draw(st.integers(1, 3))
                event: Envelope = b.vacancy(
                    vid, home_id, day(when), places=places, available_from=opens
                )
            elif action == "held":
                event = b.vacancy_held(vid, day(when))
            elif action == "reopened":
                event = b.vacancy_reopened(vid, day(when))
            elif action == "filled":
                event = b.vacancy_filled(vid, day(when), f"{vid}-P{step}")
            elif draw(st.booleans()):
                event = b.vacancy_withdrawn(vid, day(when))
            else:
                event = b.vacancy_expired(vid, day(when))
            world.add(home_id, when, event)


@st.composite
def children(draw: st.DrawFn, world: World) -> None:
    for c in range(draw(st.integers(1, 5))):
        child, when = f"C{c}", draw(st.integers(0, 300))
        world.add(
            child,
            when,
            b.admitted(
                child, day(when), uasc=draw(st.booleans()), ls=draw(st.sampled_from(["C2", "V2"]))
            ),
        )
        for p in range(draw(st.integers(1, 4))):
            if p:
                when += draw(st.integers(1, 120))
            referral = None
            if draw(st.booleans()):
                referral = f"{child}-R{p}"
                received = max(0, when - 3)
                world.add(child, received, b.referral(referral, child, day(received)))
            homes_then = [h for h, registered in world.homes if registered <= when]
            placement = f"{child}-P{p}"
            world.add(
                child,
                when,
                b.started(
                    child,
                    placement,
                    day(when),
                    reason="S" if p == 0 else draw(st.sampled_from(["P", "B", "T", "U"])),
                    place=draw(st.sampled_from(["U4", "K2", "P1"])),
                    provider=draw(st.sampled_from(["PR1", "PR4"])),
                    home_id=draw(st.sampled_from([None, *homes_then])),
                    location=draw(st.sampled_from([None, b.NEAR, b.FAR])),
                    placement_la=draw(st.sampled_from([None, DERBY])),
                    cost=draw(st.sampled_from([None, 500.0, 3000.0])),
                    referral=referral,
                    emergency=draw(st.booleans()),
                ),
            )
            if referral is not None:
                world.add(child, when, b.referral_closed(referral, day(when), placement=placement))
            if draw(st.booleans()):
                world.add(child, when, b.legal_status(child, day(when), "C2"))
        if draw(st.booleans()):
            when += draw(st.integers(1, 200))
            world.add(child, when, b.left_care(child, day(when)))


@st.composite
def worlds(draw: st.DrawFn) -> World:
    world = World()
    draw(homes(world))
    draw(children(world))
    return world


def interleave(world: World, rng: random.Random) -> list[tuple[int, Envelope]]:
    """One random arrival order that keeps each key's events in order."""
    queues = {k: list(v) for k, v in world.streams.items() if v}
    out = []
    while queues:
        key = rng.choice(sorted(queues))
        out.append(queues[key].pop(0))
        if not queues[key]:
            del queues[key]
    return out


def metrics_figures(events: list[Envelope], as_of: date) -> dict[tuple[str, str | None], Any]:
    values = compute_all(b.fold(events), as_of, ReferenceForLa())
    return {(v.name, v.breakdown): b.figures(v) for v in values}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(), st.integers(0, 800), st.randoms(use_true_random=False))
def test_metrics_indicators_as_of_a_date_ignore_events_dated_after_it(world, as_of, rng):
    arrived = interleave(world, rng)
    before = [e for when, e in arrived if when <= as_of]
    everything = [e for _, e in interleave(world, rng)]
    on = BASE + timedelta(days=as_of)
    assert metrics_figures(before, on) == metrics_figures(everything, on)


# The vacancies service: occupancy of its homes as of a day, from its own store
# (supply events through the ingest pipeline, journey events through the
# consumer's handler), one SQLite file per arrival order.


# Memory-backed where there is one: each example writes two small stores.
SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None


def vacancies_store(path: Path, events: list[Envelope]) -> Engine:
    engine = make_engine(f"sqlite:///{path}", "vacancies")
    SQLModel.metadata.create_all(engine, tables=VACANCY_TABLES)
    pipeline = supply_pipeline(timedelta(minutes=5))
    for event in events:
        if event.type.startswith(("home.", "vacancy.")):
            ingest(engine, [event.model_dump(mode="json")], event.la, pipeline)
        else:
            with transaction(engine) as session:
                handle(session, event)  # type: ignore[arg-type]
    return engine


def occupancy_figures(engine: Engine, homes: list[str], as_of: date) -> list[Occupancy]:
    inputs = places_and_stays(engine, homes, as_of)
    return [occupancy(h, *inputs[h], as_of) for h in homes]


@st.composite
def occupied_homes(draw: st.DrawFn) -> World:
    """Homes (places changed, deregistered) and children placed in them."""
    world = World()
    for h in range(draw(st.integers(1, 2))):
        home_id, when = f"H{h}", draw(st.integers(0, 60))
        world.homes.append((home_id, when))
        world.add(home_id, when, b.home(home_id, day(when), places=draw(st.integers(1, 4))))
        for _ in range(draw(st.integers(0, 2))):
            when += draw(st.integers(1, 200))
            places = draw(st.integers(1, 5))
            world.add(home_id, when, b.home_updated(home_id, day(when), registered_places=places))
        if draw(st.booleans()):
            when += draw(st.integers(1, 300))
            world.add(home_id, when, b.home_deregistered(home_id, day(when)))
    for c in range(draw(st.integers(1, 4))):
        child, when = f"C{c}", draw(st.integers(61, 300))
        world.add(child, when, b.admitted(child, day(when)))
        for p in range(draw(st.integers(1, 3))):
            if p:
                when += draw(st.integers(1, 100))
            home_id = draw(st.sampled_from([h for h, _ in world.homes]))
            reason = "S" if p == 0 else "P"
            placement = b.started(child, f"{child}-P{p}", day(when), reason=reason, home_id=home_id)
            world.add(child, when, placement)
            if draw(st.booleans()):
                world.add(child, when, b.ended(child, f"{child}-P{p}", day(when)))
        if draw(st.booleans()):
            when += draw(st.integers(1, 200))
            world.add(child, when, b.left_care(child, day(when)))
    return world


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(occupied_homes(), st.integers(0, 800), st.randoms(use_true_random=False))
def test_vacancies_occupancy_as_of_a_date_ignores_events_dated_after_it(world, as_of, rng):
    # Homes first: the service refuses nothing here, and a placement names a known home.
    supply = [e for _, e in interleave(World({h: world.streams[h] for h, _ in world.homes}), rng)]
    journey = World({k: v for k, v in world.streams.items() if k.startswith("C")})
    arrived = [(w, e) for e in supply for w, x in world.streams[e.subject or ""] if x is e]
    arrived += interleave(journey, rng)
    on = BASE + timedelta(days=as_of)
    homes_ = [h for h, _ in world.homes]
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        before = vacancies_store(Path(tmp) / "before.db", [e for w, e in arrived if w <= as_of])
        everything = vacancies_store(Path(tmp) / "all.db", [e for _, e in arrived])
        assert occupancy_figures(before, homes_, on) == occupancy_figures(everything, homes_, on)
        before.dispose()
        everything.dispose()
