"""The transcriber's app factory: the shared service app, the speech model (loaded once), the job workers and the
consumer that queues their jobs.

Shutdown order (cleanup runs in reverse): the workers' grace starts when the app's shutdown begins (``on_shutdown``),
then the consumer leaves its group, the workers hand back what did not finish, and the relay, producer and pool
close."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from talentmind import topics
from talentmind.kafka.consumer import Handler
from talentmind.netsafety import TargetPolicy, parse_networks
from talentmind.runtime import POOL, SETTINGS, TASKS, background, consumer_context, new_service_app
from talentmind.settings import Settings
from talentmind_transcriber.asr import SpeechRecognizer
from talentmind_transcriber.fetch import RateFloor
from talentmind_transcriber.handlers import CONSUMER, FetchLimits, InterviewTranscription
from talentmind_transcriber.heap import limit_heap_growth
from talentmind_transcriber.model_cache import resolve_model
from talentmind_transcriber.pipeline import TranscriptionPipeline
from talentmind_transcriber.speakers import VoiceEmbedder
from talentmind_transcriber.workers import TranscriptionWorkers, WorkerPolicy

SERVICE = "transcriber"
PIPELINE = web.AppKey("pipeline", TranscriptionPipeline)
TRANSCRIPTION = web.AppKey("transcription", InterviewTranscription)
WORKERS = web.AppKey("workers", TranscriptionWorkers)
WORKER_PREFIX = "transcription-worker-"
log = logging.getLogger(__name__)


def fetch_limits(settings: Settings) -> FetchLimits:
    return FetchLimits(
        policy=TargetPolicy(
            allow_private=settings.allow_private_targets,
            allowed_networks=parse_networks(settings.allowed_private_networks),
        ),
        max_bytes=settings.media_max_bytes,
        total_timeout_s=settings.media_fetch_timeout_s,
        attempts=settings.media_fetch_attempts,
        idle_timeout_s=settings.media_fetch_idle_timeout_s,
        min_rate=RateFloor(settings.media_fetch_min_rate, settings.media_fetch_rate_grace_s),
    )


def load_pipeline(settings: Settings) -> TranscriptionPipeline:
    """Blocking: assemble or find the model and load it (seconds for base, a minute for large-v3)."""
    limit_heap_growth()
    recognizer = SpeechRecognizer(
        resolve_model(settings.asr_model, settings.model_cache_dir),
        device=settings.asr_device,
        compute_type=settings.asr_compute_type,
        cpu_threads=settings.asr_cpu_threads,
        beam_size=settings.asr_beam_size,
        batch_size=settings.asr_batch_size,
        workers=settings.transcriber_concurrency,
    )
    return TranscriptionPipeline(
        recognizer,
        VoiceEmbedder(),
        max_duration_s=settings.media_max_duration_s,
        window_s=settings.transcriber_decode_window_s,
    )


async def model_context(app: web.Application) -> AsyncIterator[None]:
    app[PIPELINE] = await asyncio.to_thread(load_pipeline, app[SETTINGS])
    yield


async def workers_context(app: web.Application) -> AsyncIterator[None]:
    """``transcriber_concurrency`` workers, each a task in ``TASKS`` (a dead one fails /healthz and /readyz)."""
    settings = app[SETTINGS]
    transcription = InterviewTranscription(app[POOL], app[PIPELINE], fetch_limits(settings))
    policy = WorkerPolicy.from_settings(settings)
    workers = TranscriptionWorkers(app[POOL], transcription, policy)
    transcription.on_queued = workers.wake
    app[TRANSCRIPTION], app[WORKERS] = transcription, workers
    async with contextlib.AsyncExitStack() as stack:
        for n in range(policy.concurrency):
            name = f"{WORKER_PREFIX}{n}"
            # The workers keep their own deadline (grace_s after stop); the backstop here only catches a worker
            # that outlives it (its handing back is cancelled-safe).
            await stack.enter_async_context(
                background(
                    workers.run(name),
                    lambda: _stop_workers(app),
                    name=name,
                    grace_s=policy.grace_s + 5,
                    tasks=app[TASKS],
                )
            )
        yield


def _stop_workers(app: web.Application) -> None:
    # All workers stop together (one deadline) but their contexts exit one by one: deregister them all first, so a
    # worker that finished on purpose is not taken for a dead task (which would stop the process at once).
    for name in [n for n in app[TASKS] if n.startswith(WORKER_PREFIX)]:
        app[TASKS].pop(name)
    app[WORKERS].stop()


async def _start_stopping(app: web.Application) -> None:
    _stop_workers(app)


def _handler(app: web.Application) -> Handler:
    return app[TRANSCRIPTION].handler()


async def init_app(settings: Settings) -> web.Application:
    app = new_service_app(settings, SERVICE)
    app.cleanup_ctx.append(model_context)
    app.cleanup_ctx.append(workers_context)
    # The interview.requested handler only records a job, so the consumer's default poll interval holds.
    app.cleanup_ctx.append(consumer_context(f"talentmind-{CONSUMER}", [topics.INTERVIEW_REQUESTED], _handler))
    app.on_shutdown.append(_start_stopping)
    return app
