"""Which addresses a webhook may be delivered to (pure: no resolving here).

A subscriber names a URL; the service posts to it from inside the council's
network. Without a rule that is a way to reach (and, from the delivery
status, to scan) what only the service can reach: loopback, the cloud's
metadata address, private ranges. So every address a webhook host resolves
to must be public, unless the operator's allow-list names the host or a
network that holds the address (tests deliver to 127.0.0.1 that way).

Numeric hosts in the forms inet_aton accepts (2130706433, 0x7f.1, 0177.0.0.1)
are refused outright unless the host is allow-listed by name: they exist to
slip past filters that only look at dotted quads.
"""

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class AddressPolicy:
    """The operator's allow-list: host names (any address) and networks."""

    allowed_hosts: frozenset[str] = frozenset()
    allowed_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def of(cls, hosts: Iterable[str], networks: Iterable[str]) -> "AddressPolicy":
        return cls(
            frozenset(h.strip().lower().rstrip(".") for h in hosts if h.strip()),
            tuple(ipaddress.ip_network(n.strip(), strict=False) for n in networks if n.strip()),
        )

    def names(self, host: str) -> bool:
        return host.lower().rstrip(".").strip("[]") in self.allowed_hosts

    def holds(self, ip: IPAddress) -> bool:
        return any(ip in net for net in self.allowed_networks)


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64), if any."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def classify(ip: IPAddress) -> str | None:
    """Why an address is not a public one (None: it is)."""
    inner = embedded_ipv4(ip)
    if inner is not None:
        reason = classify(inner)
        return None if reason is None else f"IPv6 carrying a {reason} IPv4 address"
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-public", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def numeric_host(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a host spells in any form inet_aton takes, or None.

    Parts are decimal, octal (leading 0) or hex (0x); 1 to 4 of them, the last
    filling the remaining bytes (127.1 is 127.0.0.1, 2130706433 is too)."""
    parts = host.rstrip(".").split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values = [_number(p) for p in parts]
    if any(v is None for v in values):
        return None
    nums = [v for v in values if v is not None]
    *head, last = nums
    if any(v > 0xFF for v in head) or last >= 1 << (8 * (5 - len(nums))):
        return None
    value = last
    for i, v in enumerate(head):
        value |= v << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def _number(part: str) -> int | None:
    text = part.lower()
    try:
        if text.startswith("0x"):
            return int(text[2:] or "0", 16)
        if len(text) > 1 and text.startswith("0"):
            return int(text[1:], 8)
        return int(text, 10) if text.isdigit() else None
    except ValueError:
        return None


def literal(host: str) -> IPAddress | None:
    """The address a host is written as in canonical form (1.2.3.4, [::1]), or None."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def host_refusal(host: str, policy: AddressPolicy) -> str | None:
    """A reason to refuse the host name itself, before resolving it."""
    if policy.names(host) or literal(host) is not None:
        return None
    if numeric_host(host) is not None:
        return "the host is an encoded numeric address; write it as a name or dotted quad"
    return None


def refusal(host: str, addresses: Sequence[IPAddress], policy: AddressPolicy) -> str | None:
    """Why a host with these resolved addresses may not be delivered to (None: it may).

    Every address must pass: a name with one public and one private record
    could otherwise be steered to the private one."""
    if policy.names(host):
        return None
    reason = host_refusal(host, policy)
    if reason is not None:
        return reason
    if not addresses:
        return "the host does not resolve"
    for ip in addresses:
        why = classify(ip)
        if why is not None and not policy.holds(ip):
            return f"the host resolves to a {why} address"
    return None
