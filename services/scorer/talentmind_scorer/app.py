"""The scorer's app factory: the shared service app, the scoring models (loaded once) and its consumer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from aiohttp import web

from talentmind import topics
from talentmind.kafka.consumer import Handler
from talentmind.report_links import ReportLinks
from talentmind.runtime import POOL, SETTINGS, consumer_context, new_service_app
from talentmind.scoring.interview import InterviewScorer
from talentmind.settings import Settings
from talentmind_scorer.handlers import CONSUMER, InterviewScoring

SERVICE = "scorer"
SCORER = web.AppKey("scorer", InterviewScorer)


async def model_context(app: web.Application) -> AsyncIterator[None]:
    app[SCORER] = await asyncio.to_thread(InterviewScorer)
    yield


def _handler(app: web.Application) -> Handler:
    return InterviewScoring(app[POOL], app[SCORER], ReportLinks.from_settings(app[SETTINGS])).handler()


async def init_app(settings: Settings) -> web.Application:
    app = new_service_app(settings, SERVICE)
    app.cleanup_ctx.append(model_context)
    app.cleanup_ctx.append(consumer_context(f"talentmind-{CONSUMER}", [topics.INTERVIEW_TRANSCRIBED], _handler))
    return app
