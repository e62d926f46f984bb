"""The transcriber's app factory: the shared service app, the speech model (loaded once) and its consumer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from talentmind import topics
from talentmind.kafka.consumer import Handler
from talentmind.netsafety import TargetPolicy, parse_networks
from talentmind.runtime import POOL, SETTINGS, consumer_context, new_service_app
from talentmind.settings import Settings
from talentmind_transcriber.asr import SpeechRecognizer
from talentmind_transcriber.fetch import RateFloor
from talentmind_transcriber.handlers import CONSUMER, FetchLimits, InterviewTranscription
from talentmind_transcriber.model_cache import resolve_model
from talentmind_transcriber.pipeline import TranscriptionPipeline
from talentmind_transcriber.speakers import VoiceEmbedder

SERVICE = "transcriber"
PIPELINE = web.AppKey("pipeline", TranscriptionPipeline)
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
    recognizer = SpeechRecognizer(
        resolve_model(settings.asr_model, settings.model_cache_dir),
        device=settings.asr_device,
        compute_type=settings.asr_compute_type,
        cpu_threads=settings.asr_cpu_threads,
        beam_size=settings.asr_beam_size,
        batch_size=settings.asr_batch_size,
    )
    return TranscriptionPipeline(recognizer, VoiceEmbedder(), max_duration_s=settings.media_max_duration_s)


async def model_context(app: web.Application) -> AsyncIterator[None]:
    app[PIPELINE] = await asyncio.to_thread(load_pipeline, app[SETTINGS])
    yield


def _handler(app: web.Application) -> Handler:
    settings = app[SETTINGS]
    return InterviewTranscription(app[POOL], app[PIPELINE], fetch_limits(settings)).handler()


async def init_app(settings: Settings) -> web.Application:
    app = new_service_app(settings, SERVICE)
    app.cleanup_ctx.append(model_context)
    app.cleanup_ctx.append(
        consumer_context(
            f"talentmind-{CONSUMER}",
            [topics.INTERVIEW_REQUESTED],
            _handler,
            max_poll_interval_ms=int(settings.transcriber_max_job_s * 1000),
        )
    )
    return app
