"""What every service process shares: typed app keys, resource lifetimes and the ops endpoints.

A service is an aiohttp application. Its long-lived resources (the database pool, the Kafka producer, the outbox
relay, consumers) are ``cleanup_ctx`` entries, so they start in order before the port opens and stop in reverse
order on SIGTERM. Every service serves ``/healthz`` (the process is alive and none of its long-running tasks has
died), ``/readyz`` (PostgreSQL and Kafka answer, consumers have joined, every task runs) and ``/metrics``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from talentmind.db.deliveries import DeliveryLog
from talentmind.db.outbox import OutboxRelay
from talentmind.db.pool import create_pool, ping
from talentmind.kafka.consumer import EventConsumer, Handler
from talentmind.kafka.producer import Producer
from talentmind.settings import Settings, get_settings
from talentmind.telemetry import setup_logging, setup_tracing

log = logging.getLogger(__name__)

SETTINGS = web.AppKey("settings", Settings)
SERVICE_NAME = web.AppKey("service_name", str)
POOL = web.AppKey("pool", asyncpg.Pool)
PRODUCER = web.AppKey("producer", Producer)
CONSUMERS = web.AppKey("consumers", list[EventConsumer])
TASKS = web.AppKey("tasks", dict[str, asyncio.Task[None]])
"""The app's long-running tasks (outbox relay, consumers, workers) by name: a finished one means the service is
broken, and ``/healthz`` and ``/readyz`` say so."""

CleanupCtx = Callable[[web.Application], AsyncIterator[None]]
HandlerFactory = Callable[[web.Application], Handler]


def new_service_app(settings: Settings, name: str, *, middlewares: list[Any] | None = None) -> web.Application:
    """An app with settings, ops routes, the database pool, the producer and the outbox relay wired in."""
    app = web.Application(middlewares=middlewares or [], client_max_size=settings.api_max_body_bytes)
    app[SETTINGS] = settings
    app[SERVICE_NAME] = name
    app[CONSUMERS] = []
    app[TASKS] = {}
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    app.cleanup_ctx.extend([pg_context, producer_context, outbox_relay_context])
    return app


async def pg_context(app: web.Application) -> AsyncIterator[None]:
    app[POOL] = await create_pool(app[SETTINGS])
    yield
    await app[POOL].close()


async def producer_context(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    producer = Producer(settings.kafka_bootstrap, topic_prefix=settings.topic_prefix, client_id=app[SERVICE_NAME])
    await producer.start()
    app[PRODUCER] = producer
    yield
    await producer.stop()


async def outbox_relay_context(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    relay = OutboxRelay(
        app[POOL],
        app[PRODUCER],
        poll_interval_s=settings.outbox_poll_interval_s,
        batch_size=settings.outbox_batch_size,
    )
    async with background(
        relay.run(), relay.stop, name="outbox-relay", grace_s=settings.shutdown_grace_s, tasks=app[TASKS]
    ):
        yield


def consumer_context(
    group_id: str,
    topics: list[str],
    make_handler: HandlerFactory,
    *,
    max_poll_interval_ms: int = 300_000,
    dead_letters: bool = True,
) -> CleanupCtx:
    """A cleanup_ctx entry that runs one consumer group member for ``topics`` for the app's lifetime."""

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        settings = app[SETTINGS]
        consumer = EventConsumer(
            bootstrap=settings.kafka_bootstrap,
            group_id=group_id,
            topics=topics,
            handler=make_handler(app),
            producer=app[PRODUCER],
            max_attempts=settings.consumer_max_attempts,
            backoff_initial_s=settings.consumer_backoff_initial_s,
            backoff_max_s=settings.consumer_backoff_max_s,
            max_poll_interval_ms=max_poll_interval_ms,
            dead_letters=dead_letters,
            deliveries=DeliveryLog(app[POOL]),
            max_deliveries=settings.consumer_max_deliveries,
        )
        app[CONSUMERS].append(consumer)
        async with background(
            consumer.run(),
            consumer.stop,
            name=f"consumer-{group_id}",
            grace_s=settings.shutdown_grace_s,
            tasks=app[TASKS],
        ):
            yield

    return ctx


@contextlib.asynccontextmanager
async def background(
    coro: Awaitable[None],
    stop: Callable[[], None],
    *,
    name: str,
    grace_s: float = 10.0,
    tasks: dict[str, asyncio.Task[None]] | None = None,
) -> AsyncIterator[asyncio.Task[None]]:
    """Run ``coro`` as a task; on exit ask it to stop, wait up to ``grace_s``, then cancel it. With ``tasks`` (the
    app's ``TASKS``) the task is registered for the health checks while it is meant to run."""
    task: asyncio.Task[None] = asyncio.ensure_future(coro)
    task.set_name(name)
    task.add_done_callback(_log_crash)
    if tasks is not None:
        tasks[name] = task
        task.add_done_callback(functools.partial(_died_while_registered, tasks))
    try:
        yield task
    finally:
        if tasks is not None:
            tasks.pop(name, None)  # stopping on purpose is not a failure
        stop()
        try:
            await asyncio.wait_for(asyncio.shield(task), grace_s)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        except Exception:
            pass  # already logged by _log_crash


_on_dead_task: Callable[[str], None] | None = None
"""What the process does when a registered task dies; :func:`run_service` makes it stop the process. Tests that
run apps inside their own process leave it unset and read the health endpoints instead."""


def _died_while_registered(tasks: dict[str, asyncio.Task[None]], task: asyncio.Task[None]) -> None:
    name = task.get_name()
    if tasks.get(name) is task and _on_dead_task is not None:
        _on_dead_task(name)


def _log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background task crashed", exc_info=task.exception(), extra={"task": task.get_name()})


# --- ops endpoints --------------------------------------------------------------------------------------------


def dead_tasks(app: web.Application) -> list[str]:
    """Names of the app's long-running tasks that have ended (crashed, or returned) while they were meant to run."""
    return sorted(name for name, task in app[TASKS].items() if task.done())


async def healthz(request: web.Request) -> web.Response:
    """200 while the process can do its work; 503 when one of its long-running tasks has died, so that the
    orchestrator's liveness probe restarts it (nothing inside the process would bring the task back)."""
    dead = dead_tasks(request.app)
    body: dict[str, Any] = {"status": "ok" if not dead else "broken", "service": request.app[SERVICE_NAME]}
    if dead:
        body["dead_tasks"] = dead
    return web.json_response(body, status=200 if not dead else 503)


async def readyz(request: web.Request) -> web.Response:
    app = request.app
    checks: dict[str, str] = {}
    for name, probe in (("postgres", _probe_pg(app)), ("kafka", _probe_kafka(app))):
        try:
            await asyncio.wait_for(probe, 5.0)
            checks[name] = "ok"
        except Exception as exc:
            checks[name] = f"error: {type(exc).__name__}"
    for consumer in app[CONSUMERS]:
        checks[f"consumer:{consumer.group_id}"] = "ok" if consumer.started.is_set() else "starting"
    for name, task in sorted(app[TASKS].items()):
        checks[f"task:{name}"] = "ok" if not task.done() else "dead"
    ready = all(v == "ok" for v in checks.values())
    return web.json_response(
        {"status": "ready" if ready else "not_ready", "service": app[SERVICE_NAME], "checks": checks},
        status=200 if ready else 503,
    )


async def _probe_pg(app: web.Application) -> None:
    await ping(app[POOL])


async def _probe_kafka(app: web.Application) -> None:
    await app[PRODUCER].ping()


async def metrics(_: web.Request) -> web.Response:
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def run_service(
    name: str,
    init_app: Callable[[Settings], Awaitable[web.Application]],
    bind: Callable[[Settings], tuple[str, int]],
) -> None:
    """The body of every service's ``main``: settings, logs, traces, then serve until SIGINT/SIGTERM.

    On a signal aiohttp stops accepting requests and runs every cleanup_ctx exit in reverse order (consumers
    leave their group, the relay stops, the producer flushes, the pool closes).
    """
    settings = get_settings()
    setup_logging(settings, name)
    setup_tracing(settings, name)
    host, port = bind(settings)
    log.info("service starting", extra={"service": name, "url": f"http://{host}:{port}"})
    global _on_dead_task
    _on_dead_task = _stop_process
    web.run_app(
        init_app(settings),
        host=host,
        port=port,
        access_log=None,
        print=None,
        handle_signals=True,
        # aiohttp closes a connection whose request has not arrived in this time, counted from the connection's
        # start (a trickle of header bytes does not extend it), so half-open clients cannot pile up.
        keepalive_timeout=settings.http_idle_timeout_s,
        shutdown_timeout=settings.shutdown_grace_s,  # in-flight requests; aiohttp's default is 60 s
    )


def _stop_process(task_name: str) -> None:
    """A long-running task died: stop the process the way SIGTERM does (the cleanup runs), so the orchestrator
    starts a fresh one; ``/healthz`` says ``broken`` meanwhile."""
    log.error("a long-running task died; the process stops so that it is restarted", extra={"task": task_name})
    signal.raise_signal(signal.SIGTERM)
