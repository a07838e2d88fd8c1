"""Real components for the vacancies integration tests.

- `embedded_broker` (session): the Tansu broker the embedded stack uses, on a free port;
- `launch_vacancies(data_dir, bootstrap, **env)`: `python -m services.vacancies` as a real
  process (uvicorn), ready when /readyz answers 200 (broker connected, consumers running);
- `vacancies` (module): one running service with a key per D2N2 LA (all scopes), a
  feed-only key for Nottingham and a key of an LA outside the region;
- `WebhookReceiver`: a tiny HTTP server that records what it is sent, and can go down.

Nothing is skipped: a missing broker binary or a service that does not start fails.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.auth.keys import Scope
from shared.auth.store import create_key, keys_engine
from tests.integration.vacancies.events import DERBY, DERBYSHIRE, NOTTINGHAM, NOTTS
from tests.support.broker import tansu_broker
from tests.support.ports import free_port
from tests.support.services import running_service, service_env

OUTSIDER = "E09000001"  # City of London: in no region of the reference data
NOTTINGHAM_FEED = "nottingham-feed-only"
FAST_WEBHOOKS = {
    "WEBHOOK_BACKOFF_BASE_SECONDS": "0.2",
    "WEBHOOK_BACKOFF_MAX_SECONDS": "1.0",
    "WEBHOOK_PAUSE_AFTER_SECONDS": "6",
    "WEBHOOK_ALLOWED_CIDRS": "127.0.0.1/32",  # the local receivers
}


@pytest.fixture(scope="session")
def embedded_broker() -> Iterator[str]:
    with tansu_broker() as bootstrap:
        yield bootstrap


@dataclass
class Vacancies:
    url: str
    bootstrap: str
    data_dir: Path
    keys: dict[str, str]

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}

    def post(self, who: str, events: Any) -> httpx.Response:
        return httpx.post(f"{self.url}/events", json=events, headers=self.headers(who), timeout=30)

    def post_json(self, who: str, path: str, body: Any) -> httpx.Response:
        return httpx.post(f"{self.url}{path}", json=body, headers=self.headers(who), timeout=30)

    def get(self, who: str, path: str, **params: Any) -> httpx.Response:
        return httpx.get(f"{self.url}{path}", params=params, headers=self.headers(who), timeout=30)


def make_keys(data_dir: Path) -> dict[str, str]:
    engine = keys_engine(None, None, data_dir)
    keys = {
        la: create_key(engine, la, frozenset(Scope))[1]
        for la in (DERBY, DERBYSHIRE, NOTTINGHAM, NOTTS, OUTSIDER)
    }
    keys[NOTTINGHAM_FEED] = create_key(engine, NOTTINGHAM, frozenset({Scope.FEED_READ}))[1]
    engine.dispose()
    return keys


@contextmanager
def launch_vacancies(
    data_dir: Path, bootstrap: str, keys: dict[str, str], **env: str
) -> Iterator[Vacancies]:
    """The service as a process on a free port; the same data_dir again is a restart."""
    environment = service_env(data_dir, bootstrap, False, **env)
    with running_service("vacancies", environment) as svc:
        yield Vacancies(svc.url, bootstrap, data_dir, keys)


@pytest.fixture(scope="module")
def vacancies(embedded_broker, tmp_path_factory) -> Iterator[Vacancies]:
    data_dir = tmp_path_factory.mktemp("vacancies")
    with launch_vacancies(data_dir, embedded_broker, make_keys(data_dir), **FAST_WEBHOOKS) as svc:
        yield svc


@dataclass(frozen=True)
class Delivery:
    at: float  # time.monotonic() on arrival
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver:
    port: int = field(default_factory=free_port)
    received: list[Delivery] = field(default_factory=list)
    status: int = 204  # what it answers, with `answer` as the body
    answer: bytes = b""
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> "WebhookReceiver":
        received, status, answer = self.received, self.status, self.answer

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append(Delivery(time.monotonic(), dict(self.headers.items()), body))
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *_: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    r = WebhookReceiver().start()
    yield r
    r.stop()


def wait_until(check: Callable[[], Any], timeout: float = 10.0, every: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        if result := check():
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout}s: {check}")
        time.sleep(every)
