"""The four services' OpenAPI documents and docs pages (no broker, no server: the apps
are built and asked in process, their lifespans never run)."""

import importlib
import json
import re
from typing import Any

import jsonschema_rs
import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError, OperationalError

from shared.events.common import SaneDate
from shared.http import errors

SERVICES = ("referrals", "vacancies", "metrics", "forecast")
METHODS = ("get", "post", "put", "delete", "patch")


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, FastAPI]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATA_DIR", str(tmp_path_factory.mktemp("docs")))
        return {
            name: importlib.import_module(f"services.{name}.entrypoints.app").create_app()
            for name in SERVICES
        }


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
        if method in METHODS
    ]


def validator(doc: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A JSON Schema validator for a schema of the document (its $refs resolve)."""
    root = {**schema, "components": doc["components"]}
    return jsonschema_rs.Draft202012Validator(root)


@pytest.mark.parametrize("service", SERVICES)
def test_one_error_model_and_the_4xx_each_operation_can_answer(
    apps: dict[str, FastAPI], service: str
) -> None:
    doc = apps[service].openapi()
    assert "HTTPValidationError" not in json.dumps(doc)
    for method, path, op in operations(doc):
        where = f"{method.upper()} {path}"
        for code, response in op["responses"].items():
            if code[0] == "4":
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, where
        if op.get("security"):
            assert {"401", "403"} <= set(op["responses"]), where
        if "requestBody" in op:
            assert {"413", "422"} <= set(op["responses"]), where
        if "{" in path:
            assert "404" in op["responses"], where


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_has_examples_that_fit_its_schemas(
    apps: dict[str, FastAPI], service: str
) -> None:
    doc = apps[service].openapi()
    for method, path, op in operations(doc):
        where = f"{method.upper()} {path}"
        parts = [op["requestBody"]] if "requestBody" in op else []
        success = sorted(c for c in op["responses"] if c.startswith("2"))
        parts += [op["responses"][success[0]]] if op["responses"][success[0]].get("content") else []
        assert parts or success == ["204"], where
        for part in parts:
            for media_type, media in part["content"].items():
                values = [media["example"]] if "example" in media else []
                values += [e["value"] for e in media.get("examples", {}).values()]
                assert values, f"{where} {media_type}: no example"
                if media_type == "application/json" and "schema" in media:
                    check = validator(doc, media["schema"])
                    for value in values:
                        assert check.is_valid(value), (where, list(check.iter_errors(value)))


@pytest.mark.parametrize("service", ("referrals", "vacancies"))
def test_post_events_documents_a_discriminated_union_of_the_services_events(
    apps: dict[str, FastAPI], service: str
) -> None:
    doc = apps[service].openapi()
    schema = doc["paths"]["/events"]["post"]["requestBody"]["content"]["application/json"]
    one, batch = schema["schema"]["oneOf"]
    assert one["discriminator"]["propertyName"] == "type"
    assert batch["items"] == one and batch["maxItems"] == 1000
    types = set(one["discriminator"]["mapping"])
    assert ("child.admitted.v1" in types) == (service == "referrals")
    assert ("home.registered.v1" in types) == (service == "vacancies")
    check = validator(doc, schema["schema"])
    bad = dict(schema["examples"]["one event"]["value"], type="no.such.event.v1")
    assert not check.is_valid(bad)


@pytest.mark.parametrize("service", SERVICES)
def test_docs_pages_load_nothing_from_outside_hosts(apps: dict[str, FastAPI], service: str) -> None:
    client = TestClient(apps[service])  # no `with`: the lifespan (broker) is not started
    for page in ("/docs", "/redoc"):
        html = client.get(page)
        assert html.status_code == 200
        urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", html.text)
        assert urls, page
        assert all(u.startswith("/") for u in urls), (page, urls)
        for asset in (u for u in urls if u.startswith("/static-offline-docs/")):
            assert client.get(asset).status_code == 200, asset
        assert "http://" not in html.text and "https://" not in html.text, page


def test_a_405_names_every_method_of_the_path(apps: dict[str, FastAPI]) -> None:
    client = TestClient(apps["vacancies"])
    answer = client.request("OPTIONS", "/feed/subscriptions")
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET, HEAD, POST"
    assert answer.json() == {"detail": "Method Not Allowed", "errors": []}


def _tiny_app() -> FastAPI:
    app = FastAPI()
    errors.install(app)

    @app.get("/day")
    async def day(on: SaneDate) -> dict[str, str]:
        return {"on": on.isoformat()}

    @app.get("/gone")
    async def gone() -> None:
        raise HTTPException(404, "no such thing")

    @app.get("/database/{what}")
    async def database(what: str) -> None:
        cause = Exception("server closed the connection unexpectedly")
        if what == "away":
            raise OperationalError("SELECT 1", {}, cause)
        raise IntegrityError("INSERT", {}, cause)  # a bug, not an outage

    return app


def test_an_unreachable_database_is_a_503_to_send_again_and_a_bug_stays_a_500() -> None:
    client = TestClient(_tiny_app(), raise_server_exceptions=False)
    away = client.get("/database/away")
    assert away.status_code == 503
    assert away.headers["retry-after"] == "1"
    assert away.json()["detail"].startswith("database unavailable: nothing was changed")
    assert client.get("/database/integrity").status_code == 500


@pytest.mark.parametrize(
    ("value", "reason"),
    [("0001-01-01", "date_out_of_range"), ("2100-01-01", "date_out_of_range"), ("0", "date_type")],
)
def test_a_query_date_out_of_range_is_a_422_naming_the_field(value: str, reason: str) -> None:
    answer = TestClient(_tiny_app()).get("/day", params={"on": value})
    assert answer.status_code == 422
    body = answer.json()
    assert body["detail"] == "invalid request: nothing was changed"
    assert [(e["pointer"], e["reason"]) for e in body["errors"]] == [("/query/on", reason)]


def test_a_sane_date_is_taken_and_an_http_exception_has_the_same_shape() -> None:
    client = TestClient(_tiny_app())
    assert client.get("/day", params={"on": "1900-01-01"}).json() == {"on": "1900-01-01"}
    assert client.get("/gone").json() == {"detail": "no such thing", "errors": []}


def test_openapi_json_is_the_built_document(apps: dict[str, FastAPI]) -> None:
    served = TestClient(apps["forecast"]).get("/openapi.json").json()
    assert served == json.loads(json.dumps(apps["forecast"].openapi()))
    assert served["components"]["schemas"]["ErrorBody"]["required"] == ["detail"]
