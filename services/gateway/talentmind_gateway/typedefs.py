"""Typed keys for values the gateway keeps on the app and on requests."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from talentmind.db.organizations import Organization
from talentmind_gateway.ratelimit import RateLimiter

ORG = web.RequestKey("org", Organization)

OPENAPI = web.AppKey("openapi", dict[str, Any])
RATE_LIMITER = web.AppKey("rate_limiter", RateLimiter)
# The API key the request authenticated with (its digest, hex): what rate limits count against.
API_KEY = web.RequestKey("api_key", str)
