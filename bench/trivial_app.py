"""The trivial endpoint: a FastAPI POST that does nothing, served as the services are.

`python -m bench.trivial_app PORT` runs it through `shared.serve.serve`, the
function every service's `__main__` calls: the same uvicorn settings (one
worker, its default loop and HTTP implementation, no access log).
"""

import sys
from typing import Annotated, Any

from fastapi import Body, FastAPI

from shared.serve import serve
from shared.settings import ServiceSettings


def create_app() -> FastAPI:
    app = FastAPI()

    @app.post("/events", status_code=202)
    async def events(body: Annotated[Any, Body()]) -> dict[str, list[object]]:
        return {"results": []}

    return app


if __name__ == "__main__":
    serve(
        "trivial",
        "bench.trivial_app:create_app",
        ServiceSettings(log_level="WARNING", log_json=False),
        int(sys.argv[1]),
    )
