"""Runs the embedded stack until interrupted, restarting any child that dies."""

import json
import os
import signal
import time
from collections.abc import Callable

from rich.console import Console
from rich.table import Table

from shared.auth.store import ensure_demo_keys
from sufficiency.stack.processes import Child, answers_ready, broker, port_open, service
from sufficiency.stack.readiness import Watched, wait_for_all
from sufficiency.stack.settings import D2N2, SERVICES, StackSettings
from sufficiency.stores import key_registry

console = Console()


def service_env(settings: StackSettings, bootstrap: str, embedded: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATA_DIR": str(settings.data_dir.resolve()),
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "HOST": settings.host,
            **{f"{name.upper()}_PORT": str(settings.port(name)) for name in SERVICES},
        }
    )
    if embedded:
        env["KAFKA_IDEMPOTENCE"] = "false"
    return env


def build_children(settings: StackSettings) -> list[Child]:
    embedded = settings.kafka_bootstrap_servers is None
    bootstrap = settings.kafka_bootstrap_servers or f"{settings.host}:{settings.broker_port}"
    env = service_env(settings, bootstrap, embedded)
    children = [broker(settings.host, settings.broker_port, settings.data_dir)] if embedded else []
    return children + [service(name, env, settings.data_dir) for name in SERVICES]


def demo_keys(settings: StackSettings) -> dict[str, str]:
    engine = key_registry(settings.data_dir)
    keys = ensure_demo_keys(engine, list(D2N2), "D2N2", settings.data_dir / "demo-keys.json")
    engine.dispose()
    return keys


def wait_ready(settings: StackSettings, children: list[Child]) -> None:
    """Until every service answers /readyz, each given as long as it makes
    progress (readiness.py); the broker's port first, since they need it."""
    watched = [_watched(settings, child) for child in children]
    with console.status("waiting for the services to be ready...") as status:

        def ready(w: Watched) -> None:
            console.print(f"[green]ready[/] {w.name}")
            left = [x.name for x in watched if x is not w and not x.ready()]
            status.update(f"waiting for {', '.join(left)}...")

        wait_for_all(
            watched,
            stall=settings.ready_stall_seconds,
            ceiling=settings.ready_timeout_seconds,
            interval=0.3,
            on_ready=ready,
        )


def _watched(settings: StackSettings, child: Child) -> Watched:
    assert child.process is not None, f"{child.name} was not started"
    if child.name == "broker":
        return Watched("broker", child.process, [child.log_path],
                       lambda: port_open(settings.broker_port, settings.host))  # fmt: skip
    url = settings.url(child.name)
    return Watched(f"{child.name} {url}", child.process, [child.log_path],
                   lambda: answers_ready(url))  # fmt: skip


def print_banner(settings: StackSettings, keys: dict[str, str]) -> None:
    table = Table(title="Placement sufficiency: embedded stack")
    table.add_column("service")
    table.add_column("URL")
    for name in SERVICES:
        table.add_row(name, f"{settings.url(name)}  (docs: {settings.url(name)}/docs)")
    table.add_row("wall display", f"{settings.url('metrics')}/wall")
    console.print(table)
    console.print(f"Demo API keys (also in {settings.data_dir / 'demo-keys.json'}):")
    for la, key in keys.items():  # printed whole: a table would cut them to the terminal's width
        console.print(f"  {la} {D2N2.get(la, ''):<16} {key}", soft_wrap=True)
    print_report_urls(settings, keys)
    console.print("Ctrl-C stops everything.")


def report_urls(settings: StackSettings, keys: dict[str, str]) -> dict[str, str]:
    """The sufficiency report of each demo LA (as of today; add &as_of=YYYY-MM-DD)."""
    base = f"{settings.url('metrics')}/reports/sufficiency"
    return {la: f"{base}?la={la}" for la in keys}


def print_report_urls(settings: StackSettings, keys: dict[str, str]) -> None:
    console.print("Sufficiency reports (send the LA's key: Authorization: Bearer <key>;")
    console.print("  .pdf, .csv or .xlsx before the ? for the other forms):")
    for la, url in report_urls(settings, keys).items():
        console.print(f"  {la} {D2N2.get(la, ''):<16} {url}", soft_wrap=True)


def supervise(settings: StackSettings, children: list[Child], stop: Callable[[], bool]) -> None:
    """Restart a child that dies (the broker too: relays then republish)."""
    while not stop():
        for child in children:
            if not child.alive():
                child.restarts += 1
                console.print(f"[yellow]{child.name} exited; restarting[/] (see {child.log_path})")
                child.start()
                _write_state(settings, children)
        time.sleep(0.5)


def run(
    settings: StackSettings,
    after_ready: Callable[[StackSettings, dict[str, str]], None] | None = None,
) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    keys = demo_keys(settings)
    children = build_children(settings)
    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    def _interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _interrupt)  # until ready: stop at once
    try:
        for child in children:
            child.start()
            if child.name == "broker":
                time.sleep(0.5)
        wait_ready(settings, children)
        print_banner(settings, keys)
        _write_state(settings, children)
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        if after_ready is not None:
            after_ready(settings, keys)
        supervise(settings, children, lambda: stopping)
    except KeyboardInterrupt:
        pass
    finally:
        console.print("stopping...")
        for child in reversed(children):
            child.stop()
        console.print("stopped.")


def _write_state(settings: StackSettings, children: list[Child]) -> None:
    state = {c.name: c.process.pid for c in children if c.process is not None}
    (settings.data_dir / "stack.json").write_text(json.dumps(state, indent=2))
