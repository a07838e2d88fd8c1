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
