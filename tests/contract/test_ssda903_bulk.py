"""The 903 import's bulk path and parts store what the pipeline alone stores, on every backend.

New children are checked in memory and written in bulk (ssda903_bulk.py),
and a large LA's children are read in parts (PART_ROWS): neither may change a
stored row, a published message or a report line. Each case imports the same
returns twice, into two stores, once the fast way and once with every child
through the ingest pipeline and all children read at once, and compares.
"""

import uuid
from datetime import date
from pathlib import Path

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


def _stored(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
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
    engine: Engine, returns: dict[int, tuple[str, str]], order: list[int], *, fast: bool
) -> list[object]:
    outcomes: list[object] = []
    for year in order:
        header, episodes = returns[year]
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


def _returns() -> dict[int, tuple[str, str]]:
    children = generate_children(160, seed=11, first_year=2023, last_year=2024, la=LA)
    out = {}
    for year in (2023, 2024):
        ret = return_for_year(children, year)
        episodes = ret.episodes
        episodes[3] = {**episodes[3], "PLACE": "ZZ"}  # a rejected row, and its child's cascade
        out[year] = (to_csv(ret.header), to_csv(episodes))
    return out


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
    returns = _returns()

    monkeypatch.setattr(importer, "PART_ROWS", 10**9)
    slow_outcomes = _import_all(slow, returns, order, fast=False)
    monkeypatch.setattr(importer, "PART_ROWS", 150)  # a few parts of each return
    assert len(importer.parts(importer.returns_store.held_returns(slow, LA))) > 2
    fast_outcomes = _import_all(fast, returns, order, fast=True)

    assert fast_outcomes == slow_outcomes
    assert _stored(fast) == _stored(slow)
    with Session(fast) as s:  # the child posted elsewhere was refused, not stored in bulk
        keys = s.exec(
            select(IngestedEvent.key).where(IngestedEvent.source == importer.source_of(LA))
        ).all()
    assert "C000004" not in keys and len(set(keys)) > 100
    slow.dispose()
