"""The transcriber's handling of ``interview.requested``: recording the job, and doing it.

The Kafka handler (``intake``) does no transcription: it records a job in ``transcription_jobs`` and returns, so the
offset commits at once and a slow recording never holds the consumer. An interview that came with its transcript
needs no speech recognition and is announced as transcribed straight away. The workers (``workers.py``) take the
jobs fairly across organisations and call ``process``:

1. The recording is fetched (URL, through the SSRF-safe fetcher; transient failures are retried with backoff a
   bounded number of times) or read from the upload folder, transcribed off the event loop, and the transcript,
   the interview's language, the ``interview.transcribed`` event and the job's ``done`` commit in one transaction.
2. What can never succeed (bad media, 404, SSRF target, too long) marks the interview ``failed`` with a
   machine-readable code, and ``interview.failed`` is emitted (with the job's ``failed``, in one transaction).

Redelivery is safe: one job per interview, and finished work is recognised (the event id is claimed in the
committing transaction and a stored transcript short-circuits), so a job taken again after a crash
mid-transcription is done and announced once.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

from talentmind import interview_life
from talentmind.events import (
    Event,
    InterviewRequested,
    InterviewRequestedData,
)
from talentmind.kafka.consumer import Handler
from talentmind.netsafety import TargetPolicy
from talentmind.retry import backoff_delay
from talentmind_transcriber import jobs, metrics
from talentmind_transcriber.errors import TranscriptionError
from talentmind_transcriber.fetch import MediaFetchError, RateFloor, fetch_media
from talentmind_transcriber.jobs import CONSUMER, Job
from talentmind_transcriber.pipeline import TranscriptionPipeline, TranscriptResult
from talentmind_transcriber.threads import run_detached

log = logging.getLogger(__name__)
__all__ = ["CONSUMER", "FetchLimits", "InterviewTranscription"]


@dataclass(frozen=True)
class FetchLimits:
    policy: TargetPolicy
    max_bytes: int
    total_timeout_s: float
    attempts: int
    backoff_initial_s: float = 2.0
    backoff_max_s: float = 60.0
    idle_timeout_s: float = 30.0
    min_rate: RateFloor = field(default_factory=RateFloor)


class InterviewTranscription:
    def __init__(
        self,
        pool: asyncpg.Pool,
        pipeline: TranscriptionPipeline,
        limits: FetchLimits,
        work_dir: Path | None = None,
        on_queued: Callable[[], None] | None = None,
    ) -> None:
        self.pool = pool
        self.pipeline = pipeline
        self.limits = limits
        self.work_dir = work_dir
        self.on_queued = on_queued  # wakes this process's idle workers (others find the job on their next poll)

    def handler(self) -> Handler:
        async def handle(event: Event[Any]) -> None:
            if isinstance(event, InterviewRequested):
                await self.intake(event)

        return handle

    async def _state(self, interview_id: str) -> asyncpg.Record | None:
        row: asyncpg.Record | None = await self.pool.fetchrow(
            "SELECT i.status, i.language, i.media_path, c.language AS candidate_language, "
            "v.language AS vacancy_language, t.interview_id IS NOT NULL AS has_transcript "
            "FROM interviews i LEFT JOIN candidates c ON c.org_id = i.org_id AND c.id = i.candidate_id "
            "LEFT JOIN vacancies v ON v.org_id = i.org_id AND v.id = i.vacancy_id "
            "LEFT JOIN transcripts t ON t.interview_id = i.id WHERE i.id = $1",
            interview_id,
        )
        return row

    async def intake(self, event: InterviewRequested) -> None:
        """The Kafka handler's work: record the job (once per interview) and return."""
        data = event.data
        state = await self._state(data.interview_id)
        if state is None or state["status"] != "processing":
            log.info("interview no longer waiting for a transcript", extra={"interview_id": data.interview_id})
            return
        if data.source == "transcript" or state["has_transcript"]:
            await self._announce(event, language=state["language"] or data.language, result=None, job=None)
            return
        async with self.pool.acquire() as conn:
            queued = await jobs.enqueue(conn, event)
        log.info(
            "transcription queued" if queued else "transcription already queued",
            extra={"interview_id": data.interview_id, "org_id": event.org_id},
        )
        if queued and self.on_queued is not None:
            self.on_queued()

    async def process(
        self, event: InterviewRequested, *, job: Job | None = None, cancel: threading.Event | None = None
    ) -> None:
        """Do the transcription of ``event`` (a worker's job; ``job`` is marked finished with the outcome).
        ``cancel``, set from outside, stops the recognition thread at its next batch."""
        data = event.data
        state = await self._state(data.interview_id)
        if state is None or state["status"] != "processing":
            log.info("interview no longer waiting for a transcript", extra={"interview_id": data.interview_id})
            if job is not None:
                await jobs.finish(self.pool, job, "done")
            return
        if data.source == "transcript" or state["has_transcript"]:
            await self._announce(event, language=state["language"] or data.language, result=None, job=job)
            return
        language = data.language or state["language"] or state["candidate_language"] or state["vacancy_language"]
        started = time.perf_counter()
        log.info(
            "transcription started",
            extra={
                "interview_id": data.interview_id,
                "source": data.source,
                "language": language,
                "attempt": job.attempt if job else None,
            },
        )
        try:
            with tempfile.TemporaryDirectory(prefix="tm-media-", dir=self.work_dir) as tmp:
                path = await self._media(data, state["media_path"], Path(tmp))
                log.info("recognition started", extra={"interview_id": data.interview_id})
                result = await run_detached(
                    self.pipeline.run, path, language=language, cancel=cancel, work_dir=Path(tmp)
                )
        except (TranscriptionError, MediaFetchError) as exc:
            await self._fail(event, exc, job)
            return
        elapsed = time.perf_counter() - started
        metrics.AUDIO_SECONDS.inc(result.audio_s)
        metrics.TRANSCRIPTION_SECONDS.observe(elapsed)
        if result.audio_s > 0:
            metrics.REAL_TIME_FACTOR.observe(elapsed / result.audio_s)
        log.info(
            "interview transcribed",
            extra={
                "interview_id": data.interview_id,
                "audio_s": round(result.audio_s, 1),
                "seconds": round(elapsed, 1),
                "turns": len(result.turns),
                "language": result.language,
                "speakers_by": result.speakers_by,
            },
        )
        await self._announce(event, language=result.language, result=result, job=job)

    async def _media(self, data: InterviewRequestedData, media_path: str | None, tmp: Path) -> Path:
        if data.source == "upload":
            if not media_path or not await asyncio.to_thread(Path(media_path).exists):
                raise TranscriptionError("the uploaded file is not in the media folder", code="media_missing")
            return Path(media_path)
        assert data.media_url is not None
        limits = self.limits
        for attempt in range(1, limits.attempts + 1):
            try:
                result = await fetch_media(
                    data.media_url,
                    tmp / "media",
                    policy=limits.policy,
                    max_bytes=limits.max_bytes,
                    total_timeout_s=limits.total_timeout_s,
                    idle_timeout_s=limits.idle_timeout_s,
                    min_rate=limits.min_rate,
                )
                return result.path
            except MediaFetchError as exc:
                if getattr(exc, "permanent", True) or attempt == limits.attempts:
                    raise
                delay = backoff_delay(attempt, limits.backoff_initial_s, limits.backoff_max_s)
                metrics.FETCH_RETRIES.inc()
                log.warning(
                    "media fetch failed, retrying",
                    extra={
                        "interview_id": data.interview_id,
                        "attempt": attempt,
                        "delay_s": round(delay, 2),
                        "code": exc.code,
                    },
                )
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def _announce(
        self, event: InterviewRequested, *, language: str | None, result: TranscriptResult | None, job: Job | None
    ) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            if job is not None:
                await jobs.finish(conn, job, "done")
            turns = result.stored_turns() if result is not None else None
            await interview_life.record_transcript(conn, consumer=CONSUMER, cause=event, language=language, turns=turns)

    async def _fail(
        self, event: InterviewRequested, exc: TranscriptionError | MediaFetchError, job: Job | None
    ) -> None:
        message = getattr(exc, "message", None) or str(exc)
        metrics.FAILURES.labels(exc.code).inc()
        log.warning(
            "transcription failed", extra={"interview_id": event.data.interview_id, "code": exc.code, "error": message}
        )
        # The job's outcome commits with the interview's.
        async with self.pool.acquire() as conn, conn.transaction():
            if job is not None:
                await jobs.finish(conn, job, "failed")
            await interview_life.fail_for_event_in(conn, consumer=CONSUMER, cause=event, code=exc.code, message=message)
