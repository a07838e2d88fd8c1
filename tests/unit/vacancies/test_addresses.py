"""Which addresses a webhook may be delivered to: public ones, or what the operator allows."""

import ipaddress

import pytest

from services.vacancies.domain.addresses import (
    AddressPolicy,
    classify,
    host_refusal,
    numeric_host,
    refusal,
)

ip = ipaddress.ip_address
NONE = AddressPolicy()


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("fe80::1", "link-local"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT
        ("::ffff:127.0.0.1", "IPv6 carrying a loopback IPv4 address"),
        ("::ffff:169.254.169.254", "IPv6 carrying a link-local IPv4 address"),
        ("2002:7f00:1::", "IPv6 carrying a loopback IPv4 address"),  # 6to4 of 127.0.0.1
        ("64:ff9b::a00:1", "IPv6 carrying a private IPv4 address"),  # NAT64 of 10.0.0.1
    ],
)
def test_addresses_that_are_not_public_are_named(address, why):
    assert classify(ip(address)) == why


@pytest.mark.parametrize("address", ["8.8.8.8", "81.2.69.160", "2a00:1450:4009:81f::200e"])
def test_public_addresses_pass(address):
    assert classify(ip(address)) is None
    assert refusal("hooks.example.org", [ip(address)], NONE) is None


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),  # decimal
        ("0x7f000001", "127.0.0.1"),  # hex
        ("0177.0.0.1", "127.0.0.1"),  # octal part
        ("0x7f.1", "127.0.0.1"),  # hex, short form
        ("127.1", "127.0.0.1"),
        ("169.254.43518", "169.254.169.254"),
        ("1.2.3.4", "1.2.3.4"),
    ],
)
def test_numeric_hosts_in_every_form_inet_aton_takes_are_decoded(host, address):
    assert numeric_host(host) == ip(address)


@pytest.mark.parametrize("host", ["example.org", "1.2.3.4.5", "08.1.1.1", "256.1.1.1", "0xg"])
def test_names_are_not_numeric_hosts(host):
    assert numeric_host(host) is None


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "0177.0.0.1", "3232235777"])
def test_encoded_numeric_hosts_are_refused_before_resolving(host):
    assert "encoded numeric address" in (host_refusal(host, NONE) or "")
    assert refusal(host, [ip("8.8.8.8")], NONE) is not None


def test_every_resolved_address_must_be_public():
    both = [ip("8.8.8.8"), ip("10.0.0.5")]
    assert refusal("rebind.example.org", both, NONE) == "the host resolves to a private address"
    assert refusal("nowhere.example.org", [], NONE) == "the host does not resolve"


def test_the_operators_allow_list_lets_named_hosts_and_networks_through():
    policy = AddressPolicy.of(["Receiver.Internal"], ["127.0.0.1/32", "10.20.0.0/16"])
    assert refusal("localhost", [ip("127.0.0.1")], policy) is None
    assert refusal("hooks.internal", [ip("10.20.3.4")], policy) is None
    assert refusal("receiver.internal.", [ip("192.168.0.9")], policy) is None  # named
    assert refusal("other.internal", [ip("10.21.0.1")], policy) is not None
    assert refusal("localhost", [ip("127.0.0.2")], policy) is not None
    assert refusal("2130706433", [ip("127.0.0.1")], policy) is not None  # encoded: still no
