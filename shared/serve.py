"""Running a service process under uvicorn."""

import uvicorn

from shared.logging import configure_logging
from shared.settings import ServiceSettings


def serve(name: str, factory: str, settings: ServiceSettings, port: int) -> None:
    configure_logging(name, settings.log_level, settings.log_json)
    uvicorn.run(
        factory,
        factory=True,
        host=settings.host,
        port=port,
        log_level=settings.log_level.lower(),
        access_log=False,
        lifespan="on",
        # uvicorn's default waits for open connections without limit: a client
        # holding one would keep a stopping replica up until it is killed.
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )
