"""The scorer's app factory: the shared service app (database, producer, outbox relay, ops endpoints).

Its event consumers arrive with the scorer's own issue; until then it serves health, readiness and metrics so the
stack and its deployment are complete.
"""

from __future__ import annotations

from aiohttp import web

from talentmind.runtime import new_service_app
from talentmind.settings import Settings

SERVICE = "scorer"


async def init_app(settings: Settings) -> web.Application:
    return new_service_app(settings, SERVICE)
