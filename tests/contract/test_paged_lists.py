"""Every list answer comes a page at a time, on every backend: following the Link
rel="next" gives each item once, in the list's order, with items that share a sort
value (the same opening time, the same day) split across pages; the last page has no
Link; a cursor the list did not give out is a 422 that names it."""

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import SQLModel

from services.referrals.adapters.tables import AuditRow, ReferralRow
from services.referrals.entrypoints.app import create_app as referrals_app
from services.referrals.settings import ReferralsSettings
from services.vacancies.adapters.tables import HomeRow, VacancyRow
from services.vacancies.entrypoints.app import create_app as vacancies_app
from services.vacancies.settings import VacanciesSettings
from shared.auth.keys import Scope
from shared.auth.store import create_key
from shared.db import transaction
from shared.http.pages import cursor_of
from shared.migrations import upgrade

SERVICES = Path(__file__).resolve().parents[2] / "services"
DERBY, NOTTINGHAM = "E06000015", "E06000018"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _client(app: FastAPI, engine: Engine, service: str) -> TestClient:
    """The app's HTTP on the test database, lifespan not started, with a Derby key."""
    upgrade(engine, SERVICES / service / "migrations")
    app.state.runtime.engine = engine
    key = create_key(app.state.runtime.keys, DERBY, frozenset(Scope))[1]
    return TestClient(app, headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def vacancies(engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    settings = VacanciesSettings(data_dir=tmp_path, kafka_bootstrap_servers="127.0.0.1:9")
    c = _client(vacancies_app(settings), engine, "vacancies")
    yield c
    c.close()


@pytest.fixture
def referrals(engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    settings = ReferralsSettings(data_dir=tmp_path, kafka_bootstrap_servers="127.0.0.1:9")
    c = _client(referrals_app(settings), engine, "referrals")
    yield c
    c.close()


def _store(engine: Engine, rows: Sequence[SQLModel]) -> None:
    with transaction(engine) as s:
        s.add_all(rows)


def _follow(c: TestClient, path: str, key: Callable[[dict], object], **params: object) -> list:
    """Every item of the list, page by page; each page at most `limit` long."""
    seen, pages, url = [], 0, path
    answer = c.get(url, params=params)
    while True:
        assert answer.status_code == 200, answer.text
        items = answer.json()
        assert len(items) <= int(str(params["limit"]))
        seen += [key(i) for i in items]
        pages += 1
        if "next" not in answer.links:
            return seen
        url = answer.links["next"]["url"]
        assert url.startswith(path + "?")  # relative: right behind a proxy
        answer = c.get(url)


def _vacancy(vacancy_id: str, la: str, opened: datetime) -> VacancyRow:
    return VacancyRow(
        vacancy_id=vacancy_id, home_id="H1", owner_la=la, places=1, status="open",
        available_from=opened.date(), opened_at=opened, updated_at=opened, age_min=0, age_max=17,
    )  # fmt: skip


def test_vacancies_page_in_the_order_opened_ties_by_id(vacancies: TestClient, engine: Engine):
    opened = [T0, T0, T0 + timedelta(hours=1), T0 + timedelta(hours=1), T0, T0 + timedelta(1)]
    rows = [_vacancy(f"v{i}", DERBY, t) for i, t in enumerate(opened)]
    _store(engine, [*rows, _vacancy("theirs", NOTTINGHAM, T0)])
    expected = [r.vacancy_id for r in sorted(rows, key=lambda r: (r.opened_at, r.vacancy_id))]
    got = _follow(vacancies, "/vacancies", lambda v: v["vacancy_id"], limit=2)
    assert got == expected == ["v0", "v1", "v4", "v2", "v3", "v5"]
    assert _follow(vacancies, "/vacancies", lambda v: v["vacancy_id"], limit=1000) == expected


def _home(home_id: str) -> HomeRow:
    return HomeRow(
        home_id=home_id, owner_la=DERBY, kind="childrens_home", provider="private",
        location_la=DERBY, registered_places=2, age_min=8, age_max=17,
        ofsted_rating="good", registered_on=date(2024, 1, 1), updated_at=T0,
    )  # fmt: skip


def test_homes_page_in_id_order(vacancies: TestClient, engine: Engine):
    _store(engine, [_home(f"H{i:02d}") for i in (7, 3, 11, 1, 5)])
    got = _follow(vacancies, "/homes", lambda h: h["home_id"], limit=2)
    assert got == ["H01", "H03", "H05", "H07", "H11"]


def test_open_referrals_page_oldest_first(referrals: TestClient, engine: Engine):
    days = [date(2026, 10, 1), date(2026, 9, 1), date(2026, 10, 1), date(2026, 10, 1)]
    rows = [
        ReferralRow(la=DERBY, referral_id=f"R{i}", child_id=f"C{i}", received=d)
        for i, d in enumerate(days)
    ]
    closed = ReferralRow(la=DERBY, referral_id="RX", child_id="CX", received=days[1], closed=T0)
    _store(engine, [*rows, closed])
    got = _follow(referrals, "/referrals/open", lambda r: r["referral_id"], limit=2)
    assert got == ["R1", "R0", "R2", "R3"]


def test_the_audit_pages_newest_first_and_each_read_is_given_once(
    referrals: TestClient, engine: Engine
):
    at = [T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=1), T0, T0 + timedelta(1)]
    _store(
        engine,
        [
            AuditRow(at=t, key_id="k", la=DERBY, action="read", target=f"t{i}")
            for i, t in enumerate(at)
        ]
        + [AuditRow(at=T0, key_id="k", la=NOTTINGHAM, action="read", target="theirs")],
    )
    got = _follow(referrals, "/audit", lambda r: r["target"], limit=2)
    assert got == ["t4", "t2", "t1", "t3", "t0"]


FORGED = ["not base64!", "%FF%FE", "A" * 601]


@pytest.mark.parametrize(
    ("path", "cursor"),
    [
        *(("/vacancies", c) for c in FORGED),
        ("/vacancies", cursor_of("H01")),  # a homes cursor: one part
        ("/vacancies", cursor_of("yesterday", "v1")),
        ("/vacancies", cursor_of("2026-11-02T09:00:00", "v1")),  # no offset: unbindable
        ("/homes", cursor_of("a", "b")),
        ("/homes", cursor_of("H\x00")),  # PostgreSQL refuses NUL in text
    ],
)
def test_a_cursor_vacancies_did_not_give_is_a_422(vacancies: TestClient, path: str, cursor: str):
    _refused(vacancies, path, cursor)


@pytest.mark.parametrize(
    ("path", "cursor"),
    [
        *(("/audit", c) for c in FORGED),
        ("/referrals/open", cursor_of("2026-02-30", "R1")),
        ("/audit", cursor_of(T0.isoformat(), "seven")),
        ("/audit", cursor_of("2026-11-02", "7")),
        ("/audit", cursor_of(T0.isoformat(), str(2**63))),  # over a database integer
    ],
)
def test_a_cursor_referrals_did_not_give_is_a_422(referrals: TestClient, path: str, cursor: str):
    _refused(referrals, path, cursor)


def _refused(c: TestClient, path: str, cursor: str) -> None:
    answer = c.get(path, params={"cursor": cursor})
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["pointer"] == "/query/cursor"


@pytest.mark.parametrize("limit", [0, 1001, -1])
def test_a_page_size_out_of_range_is_a_422(vacancies: TestClient, limit: int):
    answer = vacancies.get("/vacancies", params={"limit": limit})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["pointer"] == "/query/limit"
