"""The dispatcher's app factory: the shared service app, the fan-out consumer of domain events, the consumer of the
pipeline's dead-letter topics, the delivery workers and the sweeper of overdue interviews."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from talentmind import topics
from talentmind.interview_deadlines import Deadlines, Sweeper
from talentmind.kafka.consumer import Handler
from talentmind.netsafety import TargetPolicy, parse_networks
from talentmind.report_links import ReportLinks
from talentmind.runtime import POOL, SETTINGS, TASKS, background, consumer_context, new_service_app
from talentmind.settings import Settings
from talentmind.topics import dead_letter
from talentmind_dispatcher import dead_letters
from talentmind_dispatcher.fanout import CONSUMER, Fanout
from talentmind_dispatcher.worker import DeliveryPolicy, DeliveryWorker

SERVICE = "dispatcher"
WEBHOOK_TOPICS = [
    topics.INTERVIEW_COMPLETED,
    topics.REPORT_READY,
    topics.CANDIDATE_SCORED,
    topics.INTERVIEW_FAILED,
    topics.CANDIDATE_DELETED,
]


def delivery_policy(settings: Settings) -> DeliveryPolicy:
    return DeliveryPolicy(
        target=TargetPolicy(
            allow_private=settings.allow_private_targets,
            allowed_networks=parse_networks(settings.allowed_private_networks),
        ),
        schedule_s=tuple(settings.webhook_retry_schedule_s),
        timeout_s=settings.webhook_timeout_s,
        disable_after_s=settings.webhook_disable_after_s,
        concurrency=settings.dispatcher_concurrency,
        per_endpoint=settings.dispatcher_per_endpoint,
        poll_interval_s=settings.dispatcher_poll_interval_s,
        max_error_chars=settings.webhook_max_body_log,
    )


async def workers_context(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    policy = delivery_policy(settings)
    workers = [DeliveryWorker(app[POOL], policy, name=f"worker-{i}") for i in range(settings.dispatcher_workers)]
    async with contextlib.AsyncExitStack() as stack:
        for worker in workers:
            await stack.enter_async_context(
                background(
                    worker.run(),
                    worker.stop,
                    name=worker.name,
                    grace_s=settings.webhook_timeout_s + 5,
                    tasks=app[TASKS],
                )
            )
        yield


async def sweeper_context(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    sweeper = Sweeper(app[POOL], Deadlines.from_settings(settings), settings.sweeper_interval_s)
    async with background(sweeper.run(), sweeper.stop, name="sweeper", tasks=app[TASKS]):
        yield


def _handler(app: web.Application) -> Handler:
    return Fanout(app[POOL], ReportLinks.from_settings(app[SETTINGS])).handler()


async def init_app(settings: Settings) -> web.Application:
    app = new_service_app(settings, SERVICE)
    app.cleanup_ctx.append(consumer_context(f"talentmind-{CONSUMER}", WEBHOOK_TOPICS, _handler))
    # Dead-lettered pipeline events fail their interviews, so none stays processing for good.
    app.cleanup_ctx.append(
        consumer_context(
            f"talentmind-{dead_letters.CONSUMER}",
            [dead_letter(topics.INTERVIEW_REQUESTED), dead_letter(topics.INTERVIEW_TRANSCRIBED)],
            lambda app: dead_letters.dead_letter_handler(app[POOL]),
            dead_letters=False,
        )
    )
    app.cleanup_ctx.append(workers_context)
    app.cleanup_ctx.append(sweeper_context)
    return app
