"""A webhook URL checked against the address policy, pinned to the address checked.

The host is resolved at subscription and again at every delivery, and the
delivery connects to the address that was checked (the Host header and TLS
server name keep the name), so a name that resolves to a public address when
checked and to a private one a moment later (DNS rebinding) reaches nothing.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from services.vacancies.adapters import resolver
from services.vacancies.domain.addresses import AddressPolicy, IPAddress, refusal

Resolve = Callable[[str, int], Awaitable[list[IPAddress]]]


class RefusedTarget(ValueError):
    """The URL's host is, or resolves to, an address deliveries may not go to."""


@dataclass(frozen=True)
class Target:
    url: httpx.URL  # the subscriber's URL with the checked address as its host
    headers: dict[str, str]  # Host: the subscriber's host (and port)
    extensions: dict[str, Any] = field(default_factory=dict)  # TLS server name


async def check(url: str, policy: AddressPolicy, resolve: Resolve = resolver.resolve) -> Target:
    """The pinned target, or RefusedTarget with a reason fit to show the subscriber."""
    parsed = httpx.URL(url)
    host = parsed.host
    if parsed.scheme not in ("http", "https") or not host:
        raise RefusedTarget("the URL must be http(s) with a host")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = await resolve(host, port)
    if not addresses:
        raise RefusedTarget("the host does not resolve")
    reason = refusal(host, addresses, policy)
    if reason is not None:
        raise RefusedTarget(reason)
    pinned = parsed.copy_with(host=str(addresses[0]))
    host_header = parsed.netloc.decode("ascii")
    extensions = {"sni_hostname": host} if parsed.scheme == "https" else {}
    return Target(pinned, {"Host": host_header}, extensions)
