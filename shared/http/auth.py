"""Bearer-key authentication as a FastAPI dependency."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth.keys import Principal, Scope
from shared.auth.store import authenticate
from shared.http.runtime import Runtime

_bearer = HTTPBearer(auto_error=False, description="A per-LA API key: psk_<id>_<secret>")


def require(scope: Scope) -> Callable[..., Coroutine[Any, Any, Principal]]:
    async def dependency(
        request: Request, creds: HTTPAuthorizationCredentials | None = Depends(_bearer)
    ) -> Principal:
        if creds is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "missing bearer key",
                headers={"WWW-Authenticate": "Bearer"},
            )
        runtime: Runtime = request.app.state.runtime
        principal = await run_in_threadpool(authenticate, runtime.keys, creds.credentials)
        if principal is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "unknown or revoked key",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not principal.can(scope):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"key lacks scope {scope}")
        return principal

    return dependency


def check_la(principal: Principal, la: str) -> None:
    """An LA key may act only on its own LA."""
    if principal.la != la:
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"key of {principal.la} cannot act for {la}")
