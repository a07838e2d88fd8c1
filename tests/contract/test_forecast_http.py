"""The forecast API through HTTP on every backend: seed 001's table, and a clear 4xx for
every input a model cannot answer, never a 5xx."""

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from services.forecast.entrypoints.app import create_app
from services.forecast.service_layer.forecasting import Forecaster
from services.forecast.settings import ForecastSettings
from shared.auth.keys import Scope
from shared.auth.store import create_key
from shared.migrations import upgrade

MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "forecast" / "migrations"
DERBYSHIRE = "E10000007"
SEED_001 = {2017: 630, 2018: 719, 2019: 802, 2020: 862, 2021: 899, 2022: 909, 2023: 995, 2024: 1057}
Client = Callable[[str], TestClient]


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> Iterator[Client]:
    """A client of the service's app on the test database, with a key for the LA asked for.
    The app's lifespan (broker, consumers, publisher) is not started: only HTTP is tested."""
    upgrade(engine, MIGRATIONS)
    app = create_app(ForecastSettings(data_dir=tmp_path, kafka_bootstrap_servers="127.0.0.1:9"))
    app.state.runtime.engine = engine
    app.state.forecaster = Forecaster(engine)
    clients = []

    def for_la(la: str) -> TestClient:
        key = create_key(app.state.runtime.keys, la, frozenset(Scope))[1]
        c = TestClient(app, headers={"Authorization": f"Bearer {key}"})
        clients.append(c)
        return c

    yield for_la
    for c in clients:
        c.close()


def upload(c: TestClient, la: str, values: Mapping[int, float], day: str = "03-31") -> Response:
    body = "la,date,series,value\n" + "".join(
        f"{la},{year}-{day},children_in_care,{v}\n" for year, v in values.items()
    )
    return c.post("/series/upload", content=body, headers={"Content-Type": "text/csv"})


def forecast(c: TestClient, la: str, **params: object) -> Response:
    return c.get("/forecasts", params={"la": la, **params})


def test_seed_001s_published_table_reproduces_over_http(client: Client) -> None:
    c = client(DERBYSHIRE)
    assert upload(c, DERBYSHIRE, SEED_001).status_code == 200
    spreadsheet = forecast(c, DERBYSHIRE, model="linear_confidence", horizon=1, widen="false")
    assert spreadsheet.status_code == 200, spreadsheet.text
    body = spreadsheet.json()
    point = body["points"][0]
    # 2024 forecast for March 2025: 1,112 (1,062-1,163).
    assert (point["period"], round(point["mid"])) == ("2025-03-31", 1112)
    assert abs(point["lower"] - 1062) <= 1.5 and abs(point["upper"] - 1163) <= 1.5
    assert body["widened_to_backtest"] is False
    honest = forecast(c, DERBYSHIRE, model="linear_confidence", horizon=1).json()
    assert honest["widened_to_backtest"] is True
    assert honest["points"][0]["lower"] < point["lower"]


@pytest.mark.parametrize(("model", "points", "minimum"), [("holt", 4, 5), ("damped", 5, 6)])
def test_a_model_with_too_few_points_is_a_422_naming_its_minimum(
    client: Client, model: str, points: int, minimum: int
) -> None:
    c = client(DERBYSHIRE)
    upload(c, DERBYSHIRE, {y: SEED_001[y] for y in range(2024 - points + 1, 2025)})
    answer = forecast(c, DERBYSHIRE, model=model, horizon=2)
    assert answer.status_code == 422
    assert f"{model} needs at least {minimum}" in answer.json()["detail"]


def test_an_all_zero_series_has_an_answer_never_below_zero_nor_zero_wide(client: Client) -> None:
    c = client(DERBYSHIRE)
    upload(c, DERBYSHIRE, dict.fromkeys(range(2017, 2025), 0))
    for model in (None, "naive", "linear", "theta", "pooled_drift", "combination", "holt"):
        params = {} if model is None else {"model": model}
        answer = forecast(c, DERBYSHIRE, horizon=3, **params)
        assert answer.status_code in (200, 422), (model, answer.text)
        if answer.status_code == 200:
            for p in answer.json()["points"]:
                assert 0 <= p["lower"] <= p["mid"] < p["upper"], (model, p)


@pytest.mark.parametrize(
    ("value", "says"),
    [("inf", "finite"), ("nan", "finite"), ("-Infinity", "finite"), ("-3", "negative")],
)
def test_a_bad_value_refuses_the_whole_upload(client: Client, value: str, says: str) -> None:
    c = client(DERBYSHIRE)
    body = (
        "la,date,series,value\n"
        f"{DERBYSHIRE},2023-03-31,children_in_care,995\n"
        f"{DERBYSHIRE},2024-03-31,children_in_care,{value}\n"
    )
    answer = c.post("/series/upload", content=body, headers={"Content-Type": "text/csv"})
    assert answer.status_code == 422
    (error,) = answer.json()["errors"]
    assert error["pointer"] == "/body/3" and says in error["message"]
    assert forecast(c, DERBYSHIRE, model="naive").status_code == 404  # nothing was stored


def test_a_date_twice_in_one_upload_is_refused(client: Client) -> None:
    c = client(DERBYSHIRE)
    body = (
        "la,date,series,value\n"
        f"{DERBYSHIRE},2024-03-31,children_in_care,1057\n"
        f"{DERBYSHIRE},2024-03-31,children_in_care,1000\n"
    )
    answer = c.post("/series/upload", content=body, headers={"Content-Type": "text/csv"})
    assert answer.status_code == 422
    (error,) = answer.json()["errors"]
    assert error["pointer"] == "/body/3" and "also on line 2" in error["message"]


def test_points_not_dated_31_march_are_stored_and_reported(client: Client) -> None:
    c = client(DERBYSHIRE)
    upload(c, DERBYSHIRE, SEED_001)
    answer = upload(c, DERBYSHIRE, {2024: 1040}, day="09-30")
    assert answer.status_code == 200
    body = answer.json()
    assert body["loaded"] == 1
    assert body["warnings"] == [
        {"line": 2, "message": "2024-09-30 stored, but annual models use 31 March only"}
    ]
    history = dict(map(tuple, forecast(c, DERBYSHIRE, model="naive").json()["history"]))
    assert "2024-09-30" not in history and history["2024-03-31"] == 1057


def test_a_code_that_is_not_an_english_la_is_refused(client: Client) -> None:
    c = client(DERBYSHIRE)
    body = "la,date,series,value\nE07000032,2024-03-31,children_in_care,120\n"
    answer = c.post("/series/upload", content=body, headers={"Content-Type": "text/csv"})
    assert answer.status_code == 422
    (error,) = answer.json()["errors"]
    assert error["pointer"] == "/body/2" and "not the code of an English" in error["message"]


def _by_category(c: TestClient, la: str) -> None:
    body = "la,date,series,value\n" + "".join(
        f"{la},{year}-03-31,children_in_care.{category},{v * share}\n"
        for year, v in SEED_001.items()
        for category, share in (("fostering", 0.7), ("residential", 0.1), ("other", 0.2))
    )
    answer = c.post("/series/upload", content=body, headers={"Content-Type": "text/csv"})
    assert answer.status_code == 200, answer.text


def scenario(c: TestClient, body: str) -> Response:
    return c.post("/scenarios", content=body, headers={"Content-Type": "application/json"})


STEP = '{"la": "E10000007", "steps": [{"kind": "open_home", %s}]}'
MANY_STEPS = '{"la": "E10000007", "steps": [' + ", ".join(['{"kind": "open_home"}'] * 51) + "]}"


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (STEP % '"beds": Infinity, "year": 2026', "/body/steps/0/beds"),
        (STEP % '"beds": 1e400, "year": 2026', "/body/steps/0/beds"),
        (STEP % '"beds": NaN, "year": 2026', "/body/steps/0/beds"),
        (STEP % '"beds": 1e308, "year": 2026', "/body/steps/0/beds"),
        (STEP % '"beds": 1, "year": 99999999', "/body/steps/0/year"),
        (STEP % '"beds": 1, "year": 2026, "category": "nonsense"', "/body/steps/0/category"),
        ('{"la": "E10000007", "own_capacity": {"residential": Infinity}, "steps": []}',
         "/body/own_capacity/residential"),
        ('{"la": "E10000007", "own_capacity": {"castles": 3}, "steps": []}',
         "/body/own_capacity/castles/[key]"),
        (MANY_STEPS, "/body/steps"),
        ('{"la": "E10000007", "steps": [{"kind": "residential_mix_target", '
         '"targets": {"123456": 0.1}}]}', "/body/steps/0/targets/123456/[key]"),
    ],
)  # fmt: skip
def test_a_scenario_input_no_plan_could_hold_is_a_422_naming_it(
    client: Client, body: str, where: str
) -> None:
    """Before, these answered 200 with null or infinite figures, or ran any number
    of steps."""
    c = client(DERBYSHIRE)
    _by_category(c, DERBYSHIRE)
    answer = scenario(c, body)
    assert answer.status_code == 422, answer.text
    assert [e["pointer"] for e in answer.json()["errors"]] == [where]


def test_a_scenario_within_the_bounds_runs(client: Client) -> None:
    c = client(DERBYSHIRE)
    _by_category(c, DERBYSHIRE)
    body = (
        '{"la": "E10000007", "horizon": 3, "own_capacity": {"residential": 40}, "steps": ['
        '{"kind": "open_home", "beds": 4, "year": 2026},'
        '{"kind": "residential_mix_target", "targets": {"2027": 0.08}}]}'
    )
    answer = scenario(c, body)
    assert answer.status_code == 200, answer.text
    assert [y["year"] for y in answer.json()["years"]] == [2025, 2026, 2027]
    assert answer.json()["steps"][0]["category"] == "residential"
