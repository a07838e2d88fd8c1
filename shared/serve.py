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
    )
