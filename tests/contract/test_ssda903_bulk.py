"""The 903 import's bulk path and parts store what the pipeline alone stores, on every backend.

Children are revised in memory and written in bulk (ssda903_bulk.py), new
ones and those with stored history alike (a second year, the same year
imported again, a corrected resubmission, a child with events from another
source), and a large LA's children are read in parts (PART_ROWS): neither
may change a stored row, a published message or a report line. Each case
imports the same returns twice, into two stores, once the fast way and once
with every child through the ingest pipeline and all children read at once,
and compares.
"""

import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

import services.referrals.service_layer.ssda903_import as importer
from services.referrals.adapters.tables import ChildRow, PlacementRow
from services.referrals.domain.ssda903.event_factory import EventFactory
from services.referrals.domain.ssda903.generate import generate_children, return_for_year
from services.referrals.service_layer.journey_pipeline import journey_pipeline
from services.referrals.service_layer.ssda903_import import SKEW
from shared.db import make_engine
from shared.ingest.batch import ingest
from shared.migrations import upgrade
from shared.store.tables import IngestedEvent, OutboxMessage
from tests.contract.test_ssda903_service import LA, MIGRATIONS, to_csv

RETRACTED = "journey.event.retracted.v1"


def _twin(engine: Engine, tmp_path: Path) -> Engine:
    """A second, empty store of the same kind (another file, or another schema)."""
    if engine.url.get_backend_name() == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'twin.db'}", schema="twin")
    url = engine.url.render_as_string(hide_password=False)
    return make_engine(url, schema=f"t{uuid.uuid4().hex[:10]}")


def _stored(engine: Engine) -> dict[str, Sequence[object]]:
    """Every row an import writes, less what depends on the clock (a retraction's
    time is the import's; received_at and created_at are the write's)."""
    with Session(engine) as s:
        events = s.exec(select(IngestedEvent)).all()
        return {
            "events": sorted(
                (e.event_id, e.type, e.key, e.subject, e.time, e.body_sha256, e.body)
                if e.type != RETRACTED
                else (e.event_id, e.type, e.key)
                for e in events
            ),
            "outbox": sorted(
                (m.topic, m.key, m.value) if RETRACTED not in m.value else (m.topic, m.key)
                for m in s.exec(select(OutboxMessage)).all()
            ),
            "children": sorted(repr(r.model_dump()) for r in s.exec(select(ChildRow))),
            "placements": sorted(repr(r.model_dump()) for r in s.exec(select(PlacementRow))),
        }


def _import_all(
    engine: Engine, returns: list[tuple[int, str, str]], *, fast: bool, corrected_after: int = 1
) -> list[tuple[Any, ...]]:
    outcomes: list[tuple[Any, ...]] = []
    for i, (year, header, episodes) in enumerate(returns):
        if i == corrected_after:
            _corrected_elsewhere(engine, CORRECTED_CHILD)
        o = importer.import_903(
            engine, LA, header, episodes, year, None, lambda d, t: None, bulk=fast
        )
        outcomes.append(
            (
                o.accepted,
                o.duplicates,
                o.corrected,
                o.withdrawn,
                sorted(o.refused),
                sorted(importer.report_rows(o)),
                o.report.episodes_read,
                o.report.episodes_imported,
                o.report.episodes_superseded,
            )
        )
    return outcomes


def _returns(order: list[int]) -> list[tuple[int, str, str]]:
    """The two years in `order`, then the latest given again unchanged, then
    resubmitted with corrections (a placement's code, a child's last episode
    and another child's every row gone)."""
    children = generate_children(160, seed=11, first_year=2023, last_year=2024, la=LA)
    out = {}
    for year in (2023, 2024):
        ret = return_for_year(children, year)
        episodes = ret.episodes
        episodes[3] = {**episodes[3], "PLACE": "ZZ"}  # a rejected row, and its child's cascade
        out[year] = (ret.header, episodes)
    header, episodes = out[2024]
    gone = episodes[40]["CHILD"]
    last = max(i for i, r in enumerate(episodes) if r["CHILD"] == episodes[60]["CHILD"])
    resubmitted = [
        {**r, "PLACE": "U2" if r["PLACE"] == "U1" else "U1"}
        if r["CHILD"] == CORRECTED_CHILD and r["PLACE"] in ("U1", "U2")
        else r
        for i, r in enumerate(episodes)
        if r["CHILD"] != gone and i != last
    ]
    assert resubmitted != episodes
    given = [(y, to_csv(out[y][0]), to_csv(out[y][1])) for y in order]
    return [*given, given[-1], (order[-1], to_csv(header), to_csv(resubmitted))]


CORRECTED_CHILD = "C000012"  # in care across both years


def _corrected_elsewhere(engine: Engine, child: str) -> None:
    """One of the return's children's details and legal status given by another
    source (the latter moves its state's last date): the import's later
    revisions of that child replay these events with its own."""
    other = EventFactory(LA, f"/la/{LA}/case-management")
    day = date(2025, 3, 30)
    events = [
        other.corrected(child, day, home_postcode=None, home_location=None, category_of_need=None),
        other.legal_status(child, day, "C2"),
    ]
    raw = [e.model_dump(mode="json") for e in events]
    results = ingest(engine, raw, LA, journey_pipeline(SKEW))
    assert [r.status for r in results] == ["accepted", "accepted"]


def _posted_elsewhere(engine: Engine, child: str) -> None:
    """An admission of one of the return's children from another source: that child
    has a stored history, so it is not new and goes through the pipeline (which
    refuses the import's admission of a child already in care)."""
    event = EventFactory(LA, f"/la/{LA}/case-management").admitted(
        child, date(2015, 1, 5), birth_month="2010-01", sex=1, ethnicity="WBRI",
        legal_status="C2", category_of_need="N1", uasc=False, home_postcode=None,
        home_location=None, continues_period=False,
    )  # fmt: skip
    results = ingest(engine, [event.model_dump(mode="json")], LA, journey_pipeline(SKEW))
    assert [r.status for r in results] == ["accepted"]


@pytest.mark.parametrize("order", [[2023, 2024], [2024, 2023]])
def test_bulk_and_parts_store_what_the_pipeline_stores(engine, monkeypatch, tmp_path, order):
    fast, slow = engine, _twin(engine, tmp_path)
    for e in (fast, slow):
        upgrade(e, MIGRATIONS)
        _posted_elsewhere(e, "C000004")
    returns = _returns(order)

    monkeypatch.setattr(importer, "PART_ROWS", 10**9)
    slow_outcomes = _import_all(slow, returns, fast=False)
    monkeypatch.setattr(importer, "PART_ROWS", 150)  # a few parts of each return
    assert len(importer.parts(importer.returns_store.held_returns(slow, LA))) > 2
    piped = _spy_on_pipeline(monkeypatch)
    fast_outcomes = _import_all(fast, returns, fast=True)

    assert fast_outcomes == slow_outcomes
    assert fast_outcomes[2][0] == fast_outcomes[2][2] == fast_outcomes[2][3] == 0  # same again
    assert fast_outcomes[-1][2] > 0 and fast_outcomes[-1][3] > 0  # corrected and withdrawn
    assert len(piped) <= 3, piped  # the children with stored history were revised in bulk
    assert _stored(fast) == _stored(slow)
    with Session(fast) as s:  # the child posted elsewhere was refused, not stored in bulk
        keys = s.exec(
            select(IngestedEvent.key).where(IngestedEvent.source == importer.source_of(LA))
        ).all()
    assert "C000004" not in keys and len(set(keys)) > 100
    slow.dispose()


def _spy_on_pipeline(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The children the import sends through the pipeline."""
    piped: set[str] = set()
    real = importer._ingest_children

    def spy(engine, la, children, pipeline, outcome):
        piped.update(c.child_id for c in children)
        real(engine, la, children, pipeline, outcome)

    monkeypatch.setattr(importer, "_ingest_children", spy)
    return piped
