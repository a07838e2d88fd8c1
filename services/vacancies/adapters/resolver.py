"""Resolving a webhook host to the addresses a connection could reach."""

import asyncio
import ipaddress
import socket

from services.vacancies.domain.addresses import IPAddress


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host resolves to (empty when it does not resolve)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    found: list[IPAddress] = []
    for *_, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if ip not in found:
            found.append(ip)
    return found
