"""Importing and exporting 903 returns through the referrals store, on every backend."""

import csv
import io
from pathlib import Path

from sqlmodel import Session, select

from services.referrals.domain.ssda903.generate import generate_return
from services.referrals.service_layer.ssda903_export import export_episodes
from services.referrals.service_layer.ssda903_import import import_903
from shared.migrations import upgrade
from shared.store.tables import IngestedEvent

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "referrals" / "migrations"
LA = "E06000015"


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
    assert first.report.episodes_rejected == 0 and not first.refused
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


def test_successive_returns_import_in_order_and_a_changed_episode_is_reported(engine):
    from services.referrals.domain.ssda903.generate import generate_children, return_for_year

    upgrade(engine, MIGRATIONS)
    children = generate_children(300, seed=3, first_year=2023, last_year=2024, la=LA)
    first, second = return_for_year(children, 2023), return_for_year(children, 2024)
    one = import_903(
        engine, LA, to_csv(first.header), to_csv(first.episodes), 2023, None, lambda d, t: None
    )
    two = import_903(
        engine, LA, to_csv(second.header), to_csv(second.episodes), 2024, None, lambda d, t: None
    )
    assert not one.refused and not two.refused
    assert two.duplicates > 0  # the episodes open at 31 March 2024 were in both returns
    exported = list(csv.DictReader(io.StringIO(export_episodes(engine, LA, 2024))))
    original = list(csv.DictReader(io.StringIO(to_csv(second.episodes))))
    # Known gap (README): a child whose first episode in the later return is a
    # legal-status-only change (RNE L) exports with that episode as a move.
    first_in_file = {}
    for row in original:
        first_in_file.setdefault(row["CHILD"], row)
    gap = {c for c, row in first_in_file.items() if row["RNE"] == "L"}
    assert [r for r in exported if r["CHILD"] not in gap] == [
        r for r in original if r["CHILD"] not in gap
    ]
    assert len(gap) < len(first_in_file) / 10

    changed = [dict(row) for row in second.episodes]
    changed[0]["PLACE"] = "U5" if changed[0]["PLACE"] != "U5" else "U4"
    again = import_903(
        engine, LA, to_csv(second.header), to_csv(changed), 2024, None, lambda d, t: None
    )
    assert [(c, reason) for c, reason, _ in again.refused] == [
        (changed[0]["CHILD"], "changed_since_imported")
    ]
