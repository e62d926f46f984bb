"""The transcriber's app factory: the shared service app plus its consumer of ``interview.requested``."""

from __future__ import annotations

from aiohttp import web

from talentmind import topics
from talentmind.runtime import POOL, consumer_context, new_service_app
from talentmind.settings import Settings
from talentmind_transcriber.handlers import CONSUMER, make_interview_requested_handler

SERVICE = "transcriber"


async def init_app(settings: Settings) -> web.Application:
    app = new_service_app(settings, SERVICE)
    app.cleanup_ctx.append(
        consumer_context(
            f"talentmind-{CONSUMER}",
            [topics.INTERVIEW_REQUESTED],
            lambda a: make_interview_requested_handler(a[POOL]),
        )
    )
    return app
