"""Importing and exporting 903 returns through the referrals store, on every backend."""

import csv
import io
import json
from pathlib import Path

from sqlmodel import Session, col, select

from services.metrics.domain.facts import LaFacts
from services.metrics.domain.projection import apply
from services.referrals.adapters.tables import ChildRow, PlacementRow
from services.referrals.domain.journey_history import effective
from services.referrals.domain.ssda903.generate import (
    SyntheticReturn,
    generate_children,
    generate_return,
    return_for_year,
)
from services.referrals.service_layer.ssda903_export import export_episodes
from services.referrals.service_layer.ssda903_import import import_903
from shared.events.journey import JourneyEvent
from shared.events.registry import parse_journey
from shared.migrations import upgrade
from shared.store.tables import IngestedEvent

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "referrals" / "migrations"
LA = "E06000015"
OTHER = "E10000007"


def to_csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def test_a_return_imports_reimports_as_duplicates_and_exports_the_same_episodes(engine):
    upgrade(engine, MIGRATIONS)
    ret = generate_return(2000, 2024, seed=7, la=LA)
    header, episodes = to_csv(ret.header), to_csv(ret.episodes)
    progress: list[tuple[int, int]] = []

    first = import_903(
        engine, LA, header, episodes, 2024, None, lambda d, t: progress.append((d, t))
    )
    assert first.report.episodes_rejected == 0 and not first.refused and first.retracted == 0
    assert first.accepted > 2000 and first.duplicates == 0
    assert progress[-1][0] == progress[-1][1]  # the bar reaches the end

    again = import_903(engine, LA, header, episodes, 2024, None, lambda d, t: None)
    assert again.accepted == 0 and again.duplicates == first.accepted
    with Session(engine) as s:
        assert len(s.exec(select(IngestedEvent)).all()) == first.accepted

    exported = list(csv.DictReader(io.StringIO(export_episodes(engine, LA, 2024))))
    original = list(csv.DictReader(io.StringIO(episodes)))
    assert len(exported) == len(original)
    assert exported == original


def fold_metrics(events, la: str = LA) -> LaFacts:
    facts = LaFacts(la)
    for e in events:
        apply(facts, e)
    return facts


def stored(engine, la: str) -> list[JourneyEvent]:
    """Every event the referrals store holds for the LA, in the order accepted."""
    with Session(engine) as s:
        rows = s.exec(
            select(IngestedEvent)
            .where(IngestedEvent.la == la)
            .order_by(col(IngestedEvent.received_at))
        ).all()
    return [parse_journey(json.loads(r.body)) for r in rows]


def history(engine, la: str) -> list[str]:
    """The LA's effective events as JSON, without what depends on the LA code."""
    return sorted(
        json.dumps(e.model_dump(mode="json", exclude={"id", "la", "source"}), sort_keys=True)
        for e in effective(stored(engine, la))
    )


def state(engine, la: str) -> tuple[list[tuple], list[tuple]]:
    with Session(engine) as s:
        children = s.exec(select(ChildRow).where(ChildRow.la == la)).all()
        placements = s.exec(select(PlacementRow).where(PlacementRow.la == la)).all()
    return (
        sorted((c.child_id, c.in_care, c.period_start, c.left_care_on, c.open_placement_id)
               for c in children),
        sorted((p.placement_id, p.child_id, p.start, p.end, p.end_reported) for p in placements),
    )  # fmt: skip


def run(engine, la: str, ret, year: int):
    return import_903(
        engine, la, to_csv(ret.header), to_csv(ret.episodes), year, None, lambda d, t: None
    )


def exported(engine, la: str, year: int) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(export_episodes(engine, la, year))))


def test_successive_returns_in_either_order_give_one_history(engine):
    upgrade(engine, MIGRATIONS)
    children = generate_children(300, seed=3, first_year=2023, last_year=2024, la=LA)
    first, second = return_for_year(children, 2023), return_for_year(children, 2024)
    # the same files imported as two LAs: in year order, and the later year first
    one, two = run(engine, LA, first, 2023), run(engine, LA, second, 2024)
    late, early = run(engine, OTHER, second, 2024), run(engine, OTHER, first, 2023)
    assert not (one.refused or two.refused or late.refused or early.refused)
    assert two.duplicates > 0  # the episodes open at 31 March 2024 were in both returns
    assert (one.retracted, two.retracted, late.retracted) == (0, 0, 0)
    # 2023 after 2024 turns the 2024 return's first episodes that continue a period
    # begun in 2023 into the history 2023 gives: those stand-ins are retracted
    assert early.corrected + early.withdrawn == early.retracted > 0
    # every child exports exactly, RNE L first episodes included, in either order
    first_in_file: dict[str, dict[str, str]] = {}
    for row in second.episodes:
        first_in_file.setdefault(row["CHILD"], row)
    assert any(row["RNE"] == "L" for row in first_in_file.values())
    for la in (LA, OTHER):
        assert exported(engine, la, 2023) == first.episodes
        assert exported(engine, la, 2024) == second.episodes
    assert history(engine, LA) == history(engine, OTHER)
    assert state(engine, LA) == state(engine, OTHER)
    # the metrics projection, folding retractions as they came, agrees with the
    # effective history alone
    assert facts_of(fold_metrics(stored(engine, OTHER), OTHER)) == facts_of(
        fold_metrics(effective(stored(engine, OTHER)), OTHER)
    )
    again = run(engine, OTHER, first, 2023)
    assert (again.accepted, again.retracted, again.refused) == (0, 0, [])


def facts_of(facts: LaFacts) -> tuple:
    return (
        facts.children, facts.periods, facts.legal_statuses,
        {k: p for k, p in facts.placements.items()}, facts.pending,
    )  # fmt: skip


def test_a_later_return_that_changes_an_episode_wins(engine):
    upgrade(engine, MIGRATIONS)
    children = generate_children(300, seed=3, first_year=2023, last_year=2024, la=LA)
    first, second = return_for_year(children, 2023), return_for_year(children, 2024)
    run(engine, LA, first, 2023)
    run(engine, LA, second, 2024)

    # a placement type corrected, and a child's last episode no longer returned
    changed = [dict(row) for row in second.episodes]
    changed[0]["PLACE"] = "U5" if changed[0]["PLACE"] != "U5" else "U4"
    dropped = next(
        i for i, r in enumerate(changed)
        if i + 1 < len(changed) and r["CHILD"] != changed[i + 1]["CHILD"] and r["RNE"] == "P"
        and changed[i - 1]["CHILD"] == r["CHILD"] and not r["DEC"]
    )  # fmt: skip
    gone = changed.pop(dropped)
    changed[dropped - 1] |= {"DEC": "", "REC": "", "REASON_PLACE_CHANGE": ""}
    fixed = SyntheticReturn(2024, second.header, changed)
    outcome = run(engine, LA, fixed, 2024)
    assert outcome.refused == []
    assert outcome.corrected >= 1 and outcome.withdrawn >= 1 and outcome.accepted >= 1
    assert exported(engine, LA, 2024) == changed
    assert all(r["DECOM"] != gone["DECOM"] for r in exported(engine, LA, 2024)
               if r["CHILD"] == gone["CHILD"])  # fmt: skip

    # the metrics service, folding the topic as published, sees the corrected episode
    facts = fold_metrics(stored(engine, LA))
    first_row = changed[0]
    placement = next(
        p for p in facts.placements_of(first_row["CHILD"])
        if p.start.strftime("%d/%m/%Y") == first_row["DECOM"]
    )  # fmt: skip
    assert placement.place == first_row["PLACE"]
    assert all(p.start.strftime("%d/%m/%Y") != gone["DECOM"]
               for p in facts.placements_of(gone["CHILD"]))  # fmt: skip
    assert facts_of(facts) == facts_of(fold_metrics(effective(stored(engine, LA))))

    again = run(engine, LA, fixed, 2024)
    assert (again.accepted, again.retracted, again.refused) == (0, 0, [])
    back = run(engine, LA, second, 2024)  # the first version again: reissued, not refused
    assert back.refused == [] and back.accepted >= 2
    assert exported(engine, LA, 2024) == second.episodes
