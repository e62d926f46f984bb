"""The gateway's app factory: wires settings, resources, middlewares and routes; no logic of its own."""

from __future__ import annotations

from aiohttp import web

from talentmind.report_links import ReportLinks
from talentmind.runtime import new_service_app
from talentmind.settings import Settings
from talentmind_gateway.middlewares import (
    auth_middleware,
    error_middleware,
    metrics_middleware,
    rate_limit_middleware,
)
from talentmind_gateway.openapi import build_spec
from talentmind_gateway.ratelimit import ExpiringSet, RateLimiter
from talentmind_gateway.routes import setup_routes
from talentmind_gateway.typedefs import AUTH_FAILURES, INVALID_KEYS, OPENAPI, RATE_LIMITER, REPORT_LINKS

SERVICE = "gateway"


async def init_app(settings: Settings) -> web.Application:
    app = new_service_app(
        settings, SERVICE, middlewares=[metrics_middleware, error_middleware, auth_middleware, rate_limit_middleware]
    )
    app[RATE_LIMITER] = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
    app[AUTH_FAILURES] = RateLimiter(settings.auth_failures_per_minute, settings.auth_failures_burst)
    app[INVALID_KEYS] = ExpiringSet(settings.invalid_key_cache_s)
    app[OPENAPI] = build_spec(settings.public_base_url)
    app[REPORT_LINKS] = ReportLinks.from_settings(settings)
    setup_routes(app)
    return app
