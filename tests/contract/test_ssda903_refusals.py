"""What a bad 903 return may not do to the store, on every backend."""

import csv
import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from services.referrals.adapters import import_jobs
from services.referrals.adapters.tables import ReturnRow
from services.referrals.domain.ssda903.child_history import LeftOpen
from services.referrals.domain.ssda903.files import FileRefused
from services.referrals.domain.ssda903.generate import generate_return
from services.referrals.entrypoints.app import create_app
from services.referrals.service_layer.ssda903_export import (
    export_episodes,
    export_uasc,
    left_open,
)
from services.referrals.service_layer.ssda903_import import import_903, left_open_csv
from services.referrals.settings import ReferralsSettings
from shared.auth.keys import Scope
from shared.auth.store import create_key
from shared.db import transaction
from shared.migrations import upgrade
from shared.store.tables import IngestedEvent
from tests.contract.test_ssda903_service import MIGRATIONS, to_csv

LA = "E06000015"
RET = generate_return(40, 2024, seed=11, la=LA)
HEADER, EPISODES = to_csv(RET.header), to_csv(RET.episodes)


def run(engine, episodes=EPISODES, year=2024, header=HEADER, la=LA, uasc=None):
    return import_903(engine, la, header, episodes, year, None, lambda d, t: None, uasc=uasc)


def snapshot(engine) -> tuple[int, list[tuple]]:
    with Session(engine) as s:
        events = len(s.exec(select(IngestedEvent)).all())
        returns = [(r.la, r.year, r.episodes) for r in s.exec(select(ReturnRow)).all()]
    return events, returns


BAD_FILES = {
    "missing_column": EPISODES.replace("PLACE_PROVIDER", "PROVIDER", 1),
    "no_data_rows": EPISODES.splitlines()[0] + "\n",
    "empty_file": "",
    "wrong_delimiter": EPISODES.replace(",", ";"),
    "duplicate_column": EPISODES.replace("URN", "LS", 1),
    "field_too_large": EPISODES + 'X1,"' + "<xml>" * 30_000 + '",S,C2,N1,U4,PR1,,\n',
}


def test_a_file_level_problem_refuses_the_return_and_changes_nothing(engine):
    upgrade(engine, MIGRATIONS)
    first = run(engine)
    assert first.accepted > 40
    before = snapshot(engine)
    for reason, text in BAD_FILES.items():
        with pytest.raises(FileRefused) as refused:
            run(engine, text)
        assert refused.value.reason == reason
        assert snapshot(engine) == before, reason
    missing = BAD_FILES["missing_column"]
    with pytest.raises(FileRefused, match=r"no column PLACE_PROVIDER$"):  # once, not per row
        run(engine, missing)


def test_a_year_the_code_lists_do_not_know_is_never_stored_and_the_la_stays_importable(engine):
    upgrade(engine, MIGRATIONS)
    for year in (9999, 0, 12000):
        with pytest.raises(FileRefused) as refused:
            run(engine, year=year)
        assert refused.value.reason == "year_not_known"
        assert snapshot(engine) == (0, [])
    assert run(engine).accepted > 40  # the next import works
    with pytest.raises(FileRefused):
        run(engine, la="E06999999")  # not an English LA


def test_a_rejected_row_leaves_the_earlier_version_in_force_and_is_reported(engine):
    upgrade(engine, MIGRATIONS)
    run(engine)
    rows = [dict(r) for r in RET.episodes]
    victim = next(i for i, r in enumerate(rows) if r["RNE"] == "S" and r["DEC"])
    rows[victim]["PLACE"] = "ZZ"  # refused: not a PLACE code
    outcome = run(engine, to_csv(rows))
    assert outcome.report.episodes_rejected == 1
    assert (outcome.withdrawn, outcome.corrected) == (0, 0)
    assert [(c.child, c.decom.strftime("%d/%m/%Y")) for c in outcome.report.carried] == [
        (rows[victim]["CHILD"], rows[victim]["DECOM"])
    ]
    exported = list(csv.DictReader(io.StringIO(export_episodes(engine, LA, 2024))))
    assert exported == RET.episodes  # the good version still stands
    again = run(engine, to_csv(rows))  # and still does at the next import
    assert (again.withdrawn, again.accepted, len(again.report.carried)) == (0, 0, 1)


def test_a_child_left_open_by_a_refused_last_episode_is_listed_beside_the_export(engine):
    upgrade(engine, MIGRATIONS)
    rows = [dict(r) for r in RET.episodes]
    last = next(
        i for i, r in enumerate(rows)
        if r["REC"] not in ("", "X1") and i > 0 and rows[i - 1]["CHILD"] == r["CHILD"]
        and rows[i - 1]["REC"] == "X1"
    )  # fmt: skip
    rows[last]["RNE"] = "Q"  # the leaving episode refused
    outcome = run(engine, to_csv(rows))
    child = rows[last]["CHILD"]
    assert [o.child for o in outcome.report.left_open] == [child]
    assert [r["CHILD"] for r in left_open(engine, LA)] == [child]


def test_the_uasc_file_is_imported_kept_and_exported(engine):
    upgrade(engine, MIGRATIONS)
    child = RET.header[0]
    uasc = (
        "CHILD,SEX,DOB,DUC\r\n"
        f"{child['CHILD']},{child['SEX']},{child['DOB']},\r\n"
        "NOBODY,1,01/01/2008,01/01/2026\r\n"
    )
    outcome = run(engine, uasc=uasc)
    assert (outcome.report.uasc_read, outcome.report.uasc_imported) == (2, 2)
    assert export_uasc(engine, LA, 2024) == uasc
    run(engine)  # given again without the UASC file: the return keeps it
    assert export_uasc(engine, LA, 2024) == uasc


def test_only_the_jobs_of_a_replica_that_died_are_marked_interrupted(engine):
    upgrade(engine, MIGRATIONS)
    orphan = import_jobs.create(engine, LA, "replica-gone")
    live = import_jobs.create(engine, LA, "replica-alive")
    finished = import_jobs.create(engine, LA, "replica-gone")
    import_jobs.finish(engine, finished, "done", {"year": 2024})
    asked: list[str] = []

    def alive(owner: str) -> bool:
        asked.append(owner)
        return owner == "replica-alive"

    assert import_jobs.interrupt_orphans(engine, alive) == 1
    assert sorted(asked) == ["replica-alive", "replica-gone"]  # running jobs' owners only
    row = import_jobs.get(engine, orphan)
    assert row is not None and row.status == "interrupted" and "again" in (row.result or "")
    assert (import_jobs.get(engine, live) or row).status == "running"
    assert (import_jobs.get(engine, finished) or row).status == "done"
    assert import_jobs.interrupt_orphans(engine, alive) == 0


def test_the_export_counts_every_child_left_open_and_names_the_first_hundred(engine, tmp_path):
    """Over HTTP: a long list would make a header clients refuse (httpx: 16 KB)."""
    upgrade(engine, MIGRATIONS)
    children = [LeftOpen(f"CHILD{i:05d}", date(2023, 5, 1), date(2024, 6, 1)) for i in range(2500)]
    with transaction(engine) as s:
        s.add(
            ReturnRow(la=LA, year=2024, header="", episodes="", left_open=left_open_csv(children))
        )
    settings = ReferralsSettings(data_dir=tmp_path, kafka_bootstrap_servers="127.0.0.1:9")
    app = create_app(settings)  # lifespan not started: HTTP and the store only
    app.state.runtime.engine = engine
    key = create_key(app.state.runtime.keys, LA, frozenset(Scope))[1]
    with_key = {"Authorization": f"Bearer {key}"}
    answer = TestClient(app, headers=with_key).get("/ssda903/episodes", params={"year": 2024})
    assert answer.status_code == 200, answer.text
    assert answer.headers["SSDA903-Left-Open-Count"] == "2500"
    assert answer.headers["SSDA903-Left-Open"].split(",") == [c.child for c in children[:100]]
