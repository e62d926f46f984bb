"""Outbound-request safety (SSRF protection) for every URL a user hands us: media URLs, webhook endpoints.

Pure checks plus one resolution step with an injectable resolver:

- :func:`check_url` parses a URL the way aiohttp will (yarl) and refuses a scheme outside the policy, a missing or
  malformed host, credentials in the URL and characters that parsers disagree on.
- :func:`is_forbidden_address` says whether an address is anything but a public unicast address: private, loopback,
  link-local (the cloud metadata service ``169.254.169.254`` included), multicast, reserved, unspecified, shared
  (``100.64.0.0/10``), documentation, benchmarking, unique-local and site-local IPv6, and the IPv6 forms that embed
  an IPv4 address (IPv4-mapped, NAT64 ``64:ff9b::/96`` and 6to4 ``2002::/16`` are judged by the address they embed;
  the deprecated IPv4-compatible ``::/96`` and Teredo are refused outright).
- :func:`check_ip` applies a :class:`TargetPolicy` to one address; :func:`resolve_safe` resolves a host and refuses
  it when *any* of its addresses is refused, returning the checked addresses so that the caller connects to exactly
  those (no second lookup, so no DNS-rebinding window).

Numeric hosts in the legacy forms that ``inet_aton`` and ``getaddrinfo`` accept (``2130706433``, ``0x7f.1``,
``127.1``, ``017700000001``) are normalised here, without a lookup, to the address they stand for.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from urllib.parse import urlsplit

from yarl import URL

__all__ = [
    "BAD_SCHEME",
    "BAD_URL",
    "METADATA_ADDRESSES",
    "SSRF_BLOCKED",
    "CheckedURL",
    "IPAddress",
    "IPNetwork",
    "Resolver",
    "TargetPolicy",
    "UnsafeTargetError",
    "check_ip",
    "check_url",
    "is_forbidden_address",
    "literal_ip",
    "parse_networks",
    "resolve_safe",
    "system_resolver",
]

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
"""``async (host, port) -> IP address strings``; the default is :func:`system_resolver` (``loop.getaddrinfo``)."""

SSRF_BLOCKED = "ssrf_blocked"
BAD_SCHEME = "bad_scheme"
BAD_URL = "bad_url"


class UnsafeTargetError(ValueError):
    """A URL or address that must not be requested. ``code`` is one of ``ssrf_blocked``, ``bad_scheme``, ``bad_url``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"UnsafeTargetError({self.code!r}, {self.message!r})"


@dataclass(frozen=True)
class TargetPolicy:
    """What outbound requests may reach.

    ``allow_private`` turns the address check off (the local dev stack); the cloud metadata addresses in
    :data:`METADATA_ADDRESSES` stay refused even then unless ``allowed_networks`` names them. ``allowed_networks``
    lets specific non-public networks through (an internal media host) while everything else stays refused.
    """

    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = ()
    allowed_schemes: tuple[str, ...] = ("http", "https")


@dataclass(frozen=True)
class CheckedURL:
    """A URL that passed :func:`check_url`: the parsed URL, its lower-case scheme, host (no brackets) and port."""

    url: URL
    scheme: str
    host: str
    port: int


def _v4(*nets: str) -> tuple[IPv4Network, ...]:
    return tuple(IPv4Network(n) for n in nets)


def _v6(*nets: str) -> tuple[IPv6Network, ...]:
    return tuple(IPv6Network(n) for n in nets)


# Explicit tables, so the answer does not depend on the Python patch release's idea of is_private / is_global.
_FORBIDDEN_V4 = _v4(
    "0.0.0.0/8",  # "this network", 0.0.0.0 itself
    "10.0.0.0/8",
    "100.64.0.0/10",  # shared address space (carrier-grade NAT)
    "127.0.0.0/8",
    "169.254.0.0/16",  # link-local, cloud metadata
    "172.16.0.0/12",
    "192.0.0.0/24",  # IETF protocol assignments
    "192.0.2.0/24",  # TEST-NET-1
    "192.31.196.0/24",  # AS112
    "192.52.193.0/24",  # AMT
    "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
    "192.168.0.0/16",
    "192.175.48.0/24",  # direct delegation AS112
    "198.18.0.0/15",  # benchmarking
    "198.51.100.0/24",  # TEST-NET-2
    "203.0.113.0/24",  # TEST-NET-3
    "224.0.0.0/4",  # multicast
    "240.0.0.0/4",  # reserved, 255.255.255.255 included
)
_FORBIDDEN_V6 = _v6(
    "::/96",  # unspecified, loopback and the deprecated IPv4-compatible form
    "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
    "64:ff9b:1::/48",  # local-use NAT64
    "100::/64",  # discard-only
    "2001::/23",  # IETF protocol assignments: Teredo, benchmarking, ORCHID, ...
    "2001:db8::/32",  # documentation
    "3fff::/20",  # documentation
    "5f00::/16",  # SRv6 SIDs
    "fc00::/7",  # unique-local
    "fe80::/10",  # link-local
    "fec0::/10",  # site-local (deprecated)
    "ff00::/8",  # multicast
)
_NAT64 = IPv6Network("64:ff9b::/96")
_COMPAT = IPv6Network("::/96")

METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    {
        IPv4Address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, DigitalOcean, ...
        IPv4Address("169.254.170.2"),  # AWS ECS task metadata
        IPv4Address("169.254.170.23"),  # AWS EKS pod identity
        IPv4Address("100.100.100.200"),  # Alibaba Cloud
        IPv6Address("fd00:ec2::254"),  # AWS IPv6 metadata
        IPv6Address("fd00:ec2::23"),  # AWS EKS pod identity, IPv6
    }
)
"""Cloud instance-metadata endpoints: refused even under ``allow_private`` unless an allowed network names them."""


def _strip_scope(ip: IPAddress) -> IPAddress:
    return IPv6Address(int(ip)) if isinstance(ip, IPv6Address) and ip.scope_id else ip


def _embedded_v4(ip: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for or routes to: IPv4-mapped, NAT64 (well-known prefix), 6to4."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def is_forbidden_address(ip: IPAddress) -> bool:
    """True unless ``ip`` is a public unicast address that an outbound request may reach."""
    ip = _strip_scope(ip)
    if isinstance(ip, IPv4Address):
        if any(ip in net for net in _FORBIDDEN_V4):
            return True
        return bool(
            ip.is_private
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_multicast
            or ip.is_reserved
            or ip.is_unspecified
            or not ip.is_global
        )
    embedded = _embedded_v4(ip)
    if embedded is not None:
        return is_forbidden_address(embedded)
    if any(ip in net for net in _FORBIDDEN_V6):
        return True
    return bool(
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_site_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def _is_metadata(ip: IPAddress) -> bool:
    if ip in METADATA_ADDRESSES:
        return True
    if isinstance(ip, IPv6Address):
        embedded = _embedded_v4(ip)
        if embedded is None and ip in _COMPAT:
            embedded = IPv4Address(int(ip) & 0xFFFFFFFF)
        return embedded is not None and embedded in METADATA_ADDRESSES
    return False


def _explicitly_allowed(ip: IPAddress, policy: TargetPolicy) -> bool:
    candidates: list[IPAddress] = [ip]
    if isinstance(ip, IPv6Address) and ip.ipv4_mapped is not None:
        candidates.append(ip.ipv4_mapped)  # ::ffff:a.b.c.d is the same host as a.b.c.d
    return any(c in net for c in candidates for net in policy.allowed_networks)


def check_ip(ip: IPAddress, policy: TargetPolicy) -> None:
    """Raise :class:`UnsafeTargetError` (``ssrf_blocked``) when ``policy`` does not let requests reach ``ip``."""
    ip = _strip_scope(ip)
    if _explicitly_allowed(ip, policy):
        return
    if policy.allow_private and not _is_metadata(ip):
        return
    if is_forbidden_address(ip) or _is_metadata(ip):
        raise UnsafeTargetError(SSRF_BLOCKED, f"{ip} is not a public address; requests to it are refused")


def parse_networks(specs: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Parse an operator allow-list (``"10.1.2.3/32"``, ``"fd12::/64"``, a bare address = one host)."""
    return tuple(ipaddress.ip_network(s.strip(), strict=False) for s in specs if s.strip())


_LEGACY_V4 = re.compile(r"^(?:0[xX][0-9a-fA-F]*|[0-9]+)(?:\.(?:0[xX][0-9a-fA-F]*|[0-9]+)){0,3}\.?$")
_HOSTNAME = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_.])?$")
_FORBIDDEN_URL_CHARS = re.compile(r"[\x00-\x20\x7f\\]")


def literal_ip(host: str) -> IPAddress | None:
    """The address ``host`` spells when it is an IP literal, in any form a resolver would accept; else None.

    Handles ``[::1]``, zone ids, and the legacy IPv4 spellings ``inet_aton`` takes (``2130706433``, ``0x7f.1``,
    ``127.1``, octal parts), which ``getaddrinfo`` would otherwise turn into an address behind a check's back.
    """
    h = host.strip()
    if h.startswith("[") and h.endswith("]"):
        h = h[1:-1]
    try:
        return ipaddress.ip_address(h)
    except ValueError:
        pass
    if _LEGACY_V4.match(h):
        try:
            return IPv4Address(socket.inet_aton(h.rstrip(".")))
        except OSError:
            return None
    return None


def check_url(url: str | URL, policy: TargetPolicy) -> CheckedURL:
    """Parse ``url`` and refuse it (:class:`UnsafeTargetError`) unless it is an absolute URL with an allowed scheme,
    a well-formed host, no user info and a usable port. Addresses are not looked at here: see :func:`resolve_safe`."""
    raw = str(url)
    if not raw:
        raise UnsafeTargetError(BAD_URL, "the URL is empty")
    if _FORBIDDEN_URL_CHARS.search(raw):
        raise UnsafeTargetError(BAD_URL, "the URL contains whitespace, control characters or backslashes")
    try:
        parsed = url if isinstance(url, URL) else URL(raw)
        scheme = (parsed.scheme or "").lower()
        host = parsed.host
        raw_host = parsed.raw_host
        port = parsed.port
        authority = parsed.raw_authority
        netloc = urlsplit(raw).netloc
    except (ValueError, TypeError) as exc:
        raise UnsafeTargetError(BAD_URL, f"the URL cannot be parsed: {exc}") from exc
    if not scheme:
        raise UnsafeTargetError(BAD_URL, "the URL has no scheme (expected http:// or https://)")
    if scheme not in policy.allowed_schemes:
        allowed = ", ".join(policy.allowed_schemes)
        raise UnsafeTargetError(BAD_SCHEME, f"scheme {scheme!r} is not allowed (allowed: {allowed})")
    if "@" in netloc or "@" in (authority or "") or parsed.user is not None or parsed.password is not None:
        raise UnsafeTargetError(BAD_URL, "credentials in the URL are not accepted")
    if not host or not raw_host or not parsed.is_absolute():
        raise UnsafeTargetError(BAD_URL, "the URL has no host")
    if ":" in raw_host:
        try:
            ipaddress.ip_address(host)
        except ValueError as exc:
            raise UnsafeTargetError(BAD_URL, f"malformed IPv6 host {host!r}") from exc
    elif not _HOSTNAME.match(raw_host) or ".." in raw_host:
        raise UnsafeTargetError(BAD_URL, f"malformed host {raw_host!r}")
    if port is None or not 0 < port < 65536:
        raise UnsafeTargetError(BAD_URL, "the URL has no usable port")
    return CheckedURL(url=parsed, scheme=scheme, host=host if ":" in raw_host else raw_host, port=port)


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the system resolver (``loop.getaddrinfo``), TCP addresses of both families."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        addr = str(sockaddr[0])
        if family == socket.AF_INET6 and len(sockaddr) >= 4 and sockaddr[3] and "%" not in addr:
            addr = f"{addr}%{sockaddr[3]}"  # link-local scope id
        out.append(addr)
    return out


async def resolve_safe(host: str, port: int, policy: TargetPolicy, resolver: Resolver | None = None) -> list[str]:
    """Resolve ``host`` and return its addresses (deduplicated, in resolver order) once every one passes
    :func:`check_ip`; raise :class:`UnsafeTargetError` (``ssrf_blocked``) when any does not, so that a name with one
    public and one private address is refused as a whole. IP literals (every form :func:`literal_ip` knows) are
    checked without a lookup and returned normalised. A failed lookup raises the resolver's ``OSError``
    (``socket.gaierror``); a lookup with no answer raises ``socket.gaierror(EAI_NONAME)``."""
    if not host or not host.strip():
        raise UnsafeTargetError(BAD_URL, "no host to resolve")
    literal = literal_ip(host)
    if literal is not None:
        try:
            check_ip(literal, policy)
        except UnsafeTargetError as exc:
            if host.strip("[]") == str(literal):
                raise
            raise UnsafeTargetError(SSRF_BLOCKED, f"{host} means {exc.message}") from None
        return [str(literal)]
    answers = await (resolver or system_resolver)(host, port)
    ips: list[str] = []
    for answer in answers:
        try:
            ip = ipaddress.ip_address(answer)
        except ValueError:
            raise UnsafeTargetError(SSRF_BLOCKED, f"{host} resolved to something that is not an address") from None
        try:
            check_ip(ip, policy)
        except UnsafeTargetError:
            raise UnsafeTargetError(
                SSRF_BLOCKED, f"{host} resolves to {ip}, which is not a public address; requests to it are refused"
            ) from None
        text = str(ip)
        if text not in ips:
            ips.append(text)
    if not ips:
        raise socket.gaierror(socket.EAI_NONAME, f"{host} has no address")
    return ips
