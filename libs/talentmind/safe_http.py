"""HTTP to targets that the SSRF policy allows, and only to the addresses that were checked.

``SafeConnector`` resolves every connection through :func:`talentmind.netsafety.resolve_safe`, so the check
and the connection use the same DNS answer (no rebinding between them), and keeps no DNS cache. aiohttp connects
to IP-literal hosts without asking a resolver, so callers check those with :func:`checked_literal` before each
request. Used by the transcriber's media fetch and the dispatcher's webhook deliveries.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from talentmind.netsafety import CheckedURL, Resolver, TargetPolicy, literal_ip, resolve_safe


class SafeResolver(AbstractResolver):
    """An aiohttp resolver that only ever returns addresses :func:`resolve_safe` accepted under ``policy``."""

    def __init__(self, policy: TargetPolicy, resolver: Resolver | None = None) -> None:
        self._policy = policy
        self._resolver = resolver

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        ips = await resolve_safe(host, port, self._policy, self._resolver)
        results: list[ResolveResult] = []
        for ip in ips:
            fam = socket.AF_INET if ipaddress.ip_address(ip).version == 4 else socket.AF_INET6
            if family not in (socket.AF_UNSPEC, fam):
                continue
            results.append(
                ResolveResult(
                    hostname=host,
                    host=ip,
                    port=port,
                    family=fam,
                    proto=0,
                    flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
                )
            )
        if not results:
            raise socket.gaierror(socket.EAI_ADDRFAMILY, f"{host} has no address of the requested family")
        return results

    async def close(self) -> None:
        return None


class SafeConnector(aiohttp.TCPConnector):
    """A TCP connector that resolves through :class:`SafeResolver` on every connection (no DNS cache)."""

    def __init__(self, policy: TargetPolicy, *, resolver: Resolver | None = None, **kwargs: Any) -> None:
        super().__init__(resolver=SafeResolver(policy, resolver), use_dns_cache=False, **kwargs)
        self.policy = policy


async def checked_literal(target: CheckedURL, policy: TargetPolicy) -> URL:
    """Check an IP-literal host now (aiohttp connects to those without asking a resolver); return the URL to
    request, with a legacy numeric IPv4 host (``2130706433``) spelled canonically."""
    ip = literal_ip(target.host)
    if ip is None:
        return target.url
    await resolve_safe(target.host, target.port, policy)
    if ip.version == 4 and target.host != str(ip):
        return target.url.with_host(str(ip))
    return target.url
