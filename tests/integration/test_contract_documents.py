"""The contract documents pass the tools integrators use on them.

- shared/contract/asyncapi.json through the official AsyncAPI parser (npm
  @asyncapi/parser, installed by `make env` / scripts/ci-setup.sh);
- each service's OpenAPI document through openapi-python-client, whose
  generated package must import.
"""

import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi import FastAPI

from shared.events.docs import CONTRACT_DIR

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
PARSER = ROOT / "scripts" / "asyncapi"
SERVICES = ("referrals", "vacancies", "metrics", "forecast")


def test_asyncapi_document_passes_the_official_parser() -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed (Debian package nodejs)"
    assert (PARSER / "node_modules" / "@asyncapi" / "parser").is_dir(), "run `make env`"
    run = subprocess.run(
        [node, str(PARSER / "validate.mjs"), str(CONTRACT_DIR / "asyncapi.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "valid AsyncAPI 3.0.0" in run.stdout


def test_the_parser_refuses_what_pydantic_wrote_before() -> None:
    """The check can fail: an OpenAPI-style discriminator object is an error."""
    doc = json.loads((CONTRACT_DIR / "asyncapi.json").read_text())
    doc["components"]["schemas"] = {
        "Bad": {"oneOf": [{"type": "object"}], "discriminator": {"propertyName": "type"}}
    }
    bad = PARSER / "bad-asyncapi.json"
    bad.write_text(json.dumps(doc))
    try:
        run = subprocess.run(
            ["node", str(PARSER / "validate.mjs"), str(bad)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        bad.unlink()
    assert run.returncode == 1
    assert "discriminator" in run.stdout


def _app(service: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    module = importlib.import_module(f"services.{service}.entrypoints.app")
    app: FastAPI = module.create_app()
    return app


@pytest.mark.parametrize("service", SERVICES)
def test_a_python_client_generates_and_imports(
    service: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = tmp_path / f"{service}.json"
    document.write_text(json.dumps(_app(service, tmp_path, monkeypatch).openapi()))
    generator = Path(sys.executable).with_name("openapi-python-client")
    config = tmp_path / "client.yaml"  # the integrators' settings, without formatting hooks
    config.write_text((ROOT / "scripts" / "openapi-client.yaml").read_text() + "post_hooks: []\n")
    run = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(document),
            "--meta",
            "none",
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    package = next(p for p in tmp_path.iterdir() if (p / "client.py").is_file())
    check = subprocess.run(
        [sys.executable, "-c", f"import {package.name}.api, {package.name}.models"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr
