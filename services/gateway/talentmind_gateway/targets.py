"""The SSRF rules at submission time, for every URL a client gives the gateway (webhook endpoints, media URLs).

The services that fetch or deliver check again before every connection (DNS changes); this check answers the client
at once instead of failing the job later.
"""

from __future__ import annotations

import asyncio

from talentmind.netsafety import TargetPolicy, UnsafeTargetError, check_url, parse_networks, resolve_safe
from talentmind.settings import Settings
from talentmind_gateway.errors import ValidationFailed

RESOLVE_TIMEOUT_S = 3.0


async def refuse_forbidden_target(url: str, settings: Settings, field: str) -> None:
    """400 naming ``field`` when ``url`` points at a loopback, private, link-local or cloud-metadata address, by
    literal or by what its name resolves to now. A name that does not resolve now is accepted: the endpoint may not
    be live yet, and every connection checks it again."""
    policy = TargetPolicy(
        allow_private=settings.allow_private_targets, allowed_networks=parse_networks(settings.allowed_private_networks)
    )
    try:
        target = check_url(url, policy)
        await asyncio.wait_for(resolve_safe(target.host, target.port, policy), RESOLVE_TIMEOUT_S)
    except UnsafeTargetError as exc:
        raise ValidationFailed(
            f"{field}: {exc}", code=exc.code, details=[{"field": field, "message": str(exc)}]
        ) from None
    except (OSError, TimeoutError):
        return
