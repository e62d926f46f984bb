"""Typed keys for values the gateway keeps on the app and on requests."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from talentmind.db.organizations import Organization
from talentmind.report_links import ReportLinks
from talentmind_gateway.ratelimit import ExpiringSet, RateLimiter

ORG = web.RequestKey("org", Organization)

OPENAPI = web.AppKey("openapi", dict[str, Any])
REPORT_LINKS = web.AppKey("report_links", ReportLinks)
RATE_LIMITER = web.AppKey("rate_limiter", RateLimiter)
AUTH_FAILURES = web.AppKey("auth_failures", RateLimiter)
"""Failed authentications per client IP: checked before any database work."""
INVALID_KEYS = web.AppKey("invalid_keys", ExpiringSet)
"""Hashes of keys recently found invalid: refused again without a database lookup."""
# The API key the request authenticated with (its digest, hex): what rate limits count against.
API_KEY = web.RequestKey("api_key", str)
