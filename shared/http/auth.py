"""Bearer-key authentication as a FastAPI dependency."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth.keys import WRITE_SCOPES, Principal, Scope
from shared.http.runtime import Runtime

# Methods that change nothing: the only ones a region reader may call.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
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
        principal = await runtime.key_lookup.authenticate(creds.credentials)
        if principal is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "unknown or revoked key",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not principal.can(scope):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"key lacks scope {scope}")
        _refuse_writes_by_readers(principal, scope, request.method)
        return principal

    return dependency


def _refuse_writes_by_readers(principal: Principal, scope: Scope, method: str) -> None:
    """A key without an LA writes nothing, whatever scopes its row names: checked here,
    once for every endpoint, so no router can forget it."""
    if principal.la is not None:
        return
    if principal.region is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the key has neither an LA nor a region")
    if scope in WRITE_SCOPES or method not in READ_METHODS:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, f"a region reader of {principal.region} writes nothing"
        )


def check_la(principal: Principal, la: str) -> None:
    """An LA key may act only on its own LA."""
    if principal.la != la:
        who = principal.la or f"region reader {principal.region}"
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"key of {who} cannot act for {la}")


def check_region(principal: Principal, region: str) -> None:
    """A region reader reads its own region only (LA keys: unchanged)."""
    if principal.region_reader and principal.region != region:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            f"a region reader of {principal.region} cannot read {region}",
        )


def published_only(principal: Principal, la: str, members: dict[str, list[str]]) -> bool:
    """Whether a read of `la`'s figures must be the published (suppressed) ones.

    Its own LA reads them whole; a region reader reads its member LAs' published
    figures; anyone else is refused."""
    if principal.la == la:
        return False
    if principal.region_reader and la in members.get(principal.region or "", []):
        return True
    who = principal.la or f"region reader {principal.region}"
    raise HTTPException(status.HTTP_403_FORBIDDEN, f"key of {who} cannot read {la}'s figures")
