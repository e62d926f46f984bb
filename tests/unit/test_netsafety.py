"""SSRF checks: address classes, the operator policy, URL validation, and resolution through a fake resolver."""

from __future__ import annotations

import socket
from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address

import pytest

from talentmind.netsafety import (
    BAD_SCHEME,
    BAD_URL,
    SSRF_BLOCKED,
    TargetPolicy,
    UnsafeTargetError,
    check_ip,
    check_url,
    is_forbidden_address,
    literal_ip,
    parse_networks,
    resolve_safe,
)

STRICT = TargetPolicy()

FORBIDDEN = [
    # IPv4
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.1",
    "10.255.255.255",
    "100.64.0.1",  # shared address space
    "100.127.255.254",
    "127.0.0.1",
    "127.0.0.2",
    "127.255.255.255",
    "169.254.169.254",  # cloud metadata
    "169.254.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.0.0.1",
    "192.0.2.1",  # documentation
    "192.88.99.1",
    "192.168.1.1",
    "198.18.0.1",  # benchmarking
    "198.51.100.7",  # documentation
    "203.0.113.9",  # documentation
    "224.0.0.1",  # multicast
    "239.255.255.250",
    "240.0.0.1",  # reserved
    "255.255.255.255",
    # IPv6
    "::",
    "::1",
    "fe80::1",
    "fe80::1%eth0",
    "fec0::1",  # site-local
    "fc00::1",  # unique-local
    "fd12:3456::1",
    "fd00:ec2::254",  # AWS IPv6 metadata
    "ff02::1",  # multicast
    "ff0e::1",
    "2001:db8::1",  # documentation
    "3fff::1",  # documentation
    "100::1",  # discard
    "2001::1",  # Teredo
    "64:ff9b:1::1",  # local-use NAT64
    # IPv6 forms of forbidden IPv4 addresses
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "::ffff:0.0.0.0",
    "::127.0.0.1",  # IPv4-compatible (deprecated: refused outright)
    "::8.8.8.8",
    "::ffff:0:8.8.8.8",  # IPv4-translated
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b::c0a8:101",  # NAT64 of 192.168.1.1
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2002:a00:1::",  # 6to4 of 10.0.0.1
]

PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "100.63.255.255",  # just below the shared space
    "100.128.0.1",  # just above it
    "172.32.0.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:82a::200e",
    "::ffff:8.8.8.8",  # IPv4-mapped public: the same host as 8.8.8.8
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8
    "2002:808:808::1",  # 6to4 of 8.8.8.8
]


@pytest.mark.parametrize("addr", FORBIDDEN)
def test_forbidden_addresses(addr: str) -> None:
    assert is_forbidden_address(ip_address(addr))
    with pytest.raises(UnsafeTargetError) as err:
        check_ip(ip_address(addr), STRICT)
    assert err.value.code == SSRF_BLOCKED


@pytest.mark.parametrize("addr", PUBLIC)
def test_public_addresses(addr: str) -> None:
    assert not is_forbidden_address(ip_address(addr))
    check_ip(ip_address(addr), STRICT)


# --- policy ---------------------------------------------------------------------------------------------------


def test_allow_private_lets_private_targets_through() -> None:
    policy = TargetPolicy(allow_private=True)
    for addr in ("127.0.0.1", "10.1.2.3", "192.168.0.10", "::1", "fd00::5", "::ffff:127.0.0.1", "8.8.8.8"):
        check_ip(ip_address(addr), policy)


@pytest.mark.parametrize("addr", ["169.254.169.254", "::ffff:169.254.169.254", "fd00:ec2::254", "100.100.100.200"])
def test_allow_private_still_refuses_cloud_metadata(addr: str) -> None:
    with pytest.raises(UnsafeTargetError) as err:
        check_ip(ip_address(addr), TargetPolicy(allow_private=True))
    assert err.value.code == SSRF_BLOCKED


def test_metadata_can_be_allowed_by_name() -> None:
    check_ip(ip_address("169.254.169.254"), TargetPolicy(allowed_networks=(IPv4Network("169.254.169.254/32"),)))


def test_allowed_networks_open_exactly_what_they_name() -> None:
    policy = TargetPolicy(allowed_networks=(IPv4Network("10.1.2.0/24"), IPv6Network("fd12::/64")))
    check_ip(ip_address("10.1.2.3"), policy)
    check_ip(ip_address("::ffff:10.1.2.3"), policy)  # the mapped form is the same host
    check_ip(ip_address("fd12::9"), policy)
    check_ip(ip_address("8.8.8.8"), policy)  # public stays allowed
    for addr in ("10.1.3.1", "127.0.0.1", "::1", "fd13::1", "169.254.169.254"):
        with pytest.raises(UnsafeTargetError):
            check_ip(ip_address(addr), policy)


def test_parse_networks() -> None:
    assert parse_networks(["10.1.2.0/24", " 127.0.0.1 ", "", "fd12::/64"]) == (
        IPv4Network("10.1.2.0/24"),
        IPv4Network("127.0.0.1/32"),
        IPv6Network("fd12::/64"),
    )
    with pytest.raises(ValueError):
        parse_networks(["not-a-network"])


def test_policy_is_frozen_with_http_defaults() -> None:
    policy = TargetPolicy()
    assert policy.allow_private is False and policy.allowed_networks == ()
    assert policy.allowed_schemes == ("http", "https")
    with pytest.raises(AttributeError):
        policy.allow_private = True  # type: ignore[misc]


# --- URLs -----------------------------------------------------------------------------------------------------


def test_check_url_accepts_http_and_https() -> None:
    checked = check_url("HTTPS://Media.Example.com:8443/a/b.mp3?sig=1#x", STRICT)
    assert (checked.scheme, checked.host, checked.port) == ("https", "media.example.com", 8443)
    assert check_url("http://example.com/x", STRICT).port == 80
    assert check_url("https://example.com/x", STRICT).port == 443
    assert check_url("http://[2606:4700::1]:81/", STRICT).host == "2606:4700::1"
    assert check_url("http://пример.рф/", STRICT).host == "xn--e1afmkfd.xn--p1ai"


@pytest.mark.parametrize("url", ["ftp://example.com/a", "file:///etc/passwd", "gopher://x/", "javascript:alert(1)"])
def test_check_url_refuses_other_schemes(url: str) -> None:
    with pytest.raises(UnsafeTargetError) as err:
        check_url(url, STRICT)
    assert err.value.code == BAD_SCHEME


def test_allowed_schemes_are_a_policy() -> None:
    with pytest.raises(UnsafeTargetError) as err:
        check_url("http://example.com/", TargetPolicy(allowed_schemes=("https",)))
    assert err.value.code == BAD_SCHEME


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://",
        "http:///path",
        "https://:443/x",
        "//example.com/x",  # no scheme
        "example.com/x",
        "http://user:pw@example.com/",  # credentials
        "http://user@example.com/",
        "http://@example.com/",
        "http://example.com@127.0.0.1/",
        "http://example.com:0/",
        "http://example.com:99999/",
        "http://[::1/",
        "http://exa mple.com/",
        "http://example.com\\@127.0.0.1/",
        "http://%31%32%37.0.0.1/",
        "http://a..b/",
        "http://example.com/\x00",
    ],
)
def test_check_url_refuses_bad_urls(url: str) -> None:
    with pytest.raises(UnsafeTargetError) as err:
        check_url(url, STRICT)
    assert err.value.code == BAD_URL


# --- literals and resolution ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("[::1]", "::1"),
        ("::ffff:7f00:1", "::ffff:7f00:1"),
        ("example.com", None),
        ("deadbeef", None),
        ("1.2.3.4.5", None),
    ],
)
def test_literal_ip_knows_every_spelling(host: str, expected: str | None) -> None:
    got = literal_ip(host)
    assert (str(got) if got is not None else None) == expected


class FakeResolver:
    def __init__(self, answers: dict[str, Sequence[str]]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.calls.append((host, port))
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return self.answers[host]


async def test_resolve_safe_returns_checked_addresses() -> None:
    resolver = FakeResolver({"media.example": ["93.184.216.34", "2606:2800::1", "93.184.216.34"]})
    assert await resolve_safe("media.example", 443, STRICT, resolver) == ["93.184.216.34", "2606:2800::1"]
    assert resolver.calls == [("media.example", 443)]


@pytest.mark.parametrize(
    "answers",
    [
        ["127.0.0.1"],
        ["93.184.216.34", "10.0.0.7"],  # one bad address spoils the name
        ["::1"],
        ["::ffff:127.0.0.1"],
        ["169.254.169.254"],
        ["fe80::1%2"],
        ["not-an-address"],
    ],
)
async def test_resolve_safe_refuses_when_any_address_is_forbidden(answers: list[str]) -> None:
    with pytest.raises(UnsafeTargetError) as err:
        await resolve_safe("evil.example", 80, STRICT, FakeResolver({"evil.example": answers}))
    assert err.value.code == SSRF_BLOCKED


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.1", "0x7f.1", "2130706433", "017700000001", "[::1]", "::1", "[::ffff:127.0.0.1]", "0"]
)
async def test_resolve_safe_checks_literals_without_a_lookup(host: str) -> None:
    resolver = FakeResolver({})
    with pytest.raises(UnsafeTargetError) as err:
        await resolve_safe(host, 80, STRICT, resolver)
    assert err.value.code == SSRF_BLOCKED
    assert resolver.calls == []


async def test_resolve_safe_normalises_allowed_literals() -> None:
    policy = TargetPolicy(allowed_networks=(IPv4Network("127.0.0.1/32"),))
    assert await resolve_safe("2130706433", 80, policy, FakeResolver({})) == ["127.0.0.1"]
    assert await resolve_safe("[2606:4700::1]", 80, STRICT, FakeResolver({})) == ["2606:4700::1"]


async def test_odd_forms_a_resolver_normalises_are_judged_by_the_address() -> None:
    # A resolver (like glibc's) may turn odd spellings into an address: the answer is what gets checked.
    resolver = FakeResolver({"0x7f.0x0.0x0.0x1x": ["127.0.0.1"], "localtest.me": ["127.0.0.1"]})
    for host in resolver.answers:
        with pytest.raises(UnsafeTargetError):
            await resolve_safe(host, 80, STRICT, resolver)


async def test_resolve_safe_allow_list_and_allow_private() -> None:
    resolver = FakeResolver({"internal.media": ["10.1.2.3"], "both": ["10.1.2.3", "10.9.9.9"]})
    allow_one = TargetPolicy(allowed_networks=(IPv4Network("10.1.2.0/24"),))
    assert await resolve_safe("internal.media", 80, allow_one, resolver) == ["10.1.2.3"]
    with pytest.raises(UnsafeTargetError):
        await resolve_safe("both", 80, allow_one, resolver)
    assert await resolve_safe("both", 80, TargetPolicy(allow_private=True), resolver) == ["10.1.2.3", "10.9.9.9"]


async def test_resolve_safe_lookup_failures_stay_oserrors() -> None:
    with pytest.raises(socket.gaierror):
        await resolve_safe("missing.example", 80, STRICT, FakeResolver({}))
    with pytest.raises(socket.gaierror):
        await resolve_safe("empty.example", 80, STRICT, FakeResolver({"empty.example": []}))
    with pytest.raises(UnsafeTargetError) as err:
        await resolve_safe("", 80, STRICT, FakeResolver({}))
    assert err.value.code == BAD_URL


async def test_system_resolver_refuses_localhost() -> None:
    with pytest.raises(UnsafeTargetError) as err:
        await resolve_safe("localhost", 80, STRICT)
    assert err.value.code == SSRF_BLOCKED
