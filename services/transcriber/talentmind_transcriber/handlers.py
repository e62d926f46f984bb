"""The transcriber's handling of ``interview.requested``.

1. An interview that came with its transcript needs no speech recognition: it is announced as transcribed.
2. Otherwise the recording is fetched (URL, through the SSRF-safe fetcher; transient failures are retried with
   backoff a bounded number of times) or read from the upload folder, transcribed off the event loop, and the
   transcript, the interview's language and the ``interview.transcribed`` event commit in one transaction.
3. What can never succeed (bad media, 404, SSRF target, too long) marks the interview ``failed`` with a
   machine-readable code, and ``interview.failed`` is emitted.

Redelivery is safe: finished work is recognised (the event id is claimed in the committing transaction and a
stored transcript short-circuits), so a job redelivered after a crash mid-transcription is done and announced
once.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

from talentmind.db.idempotency import claim_event
from talentmind.db.outbox import enqueue
from talentmind.db.transcripts import store_transcript
from talentmind.events import (
    Event,
    InterviewRequested,
    InterviewRequestedData,
    InterviewTranscribed,
    InterviewTranscribedData,
)
from talentmind.interview_failure import fail_interview
from talentmind.kafka.consumer import Handler
from talentmind.netsafety import TargetPolicy
from talentmind.retry import backoff_delay
from talentmind_transcriber import metrics
from talentmind_transcriber.errors import TranscriptionError
from talentmind_transcriber.fetch import MediaFetchError, RateFloor, fetch_media
from talentmind_transcriber.pipeline import TranscriptionPipeline, TranscriptResult

log = logging.getLogger(__name__)
CONSUMER = "transcriber"


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
    ) -> None:
        self.pool = pool
        self.pipeline = pipeline
        self.limits = limits
        self.work_dir = work_dir

    def handler(self) -> Handler:
        async def handle(event: Event[Any]) -> None:
            if isinstance(event, InterviewRequested):
                await self.handle_requested(event)

        return handle

    async def handle_requested(self, event: InterviewRequested) -> None:
        data = event.data
        state = await self.pool.fetchrow(
            "SELECT i.status, i.language, i.media_path, c.language AS candidate_language, "
            "v.language AS vacancy_language, t.interview_id IS NOT NULL AS has_transcript "
            "FROM interviews i LEFT JOIN candidates c ON c.org_id = i.org_id AND c.id = i.candidate_id "
            "LEFT JOIN vacancies v ON v.org_id = i.org_id AND v.id = i.vacancy_id "
            "LEFT JOIN transcripts t ON t.interview_id = i.id WHERE i.id = $1",
            data.interview_id,
        )
        if state is None or state["status"] != "processing":
            log.info("interview no longer waiting for a transcript", extra={"interview_id": data.interview_id})
            return
        if data.source == "transcript" or state["has_transcript"]:
            await self._announce(event, language=state["language"] or data.language, result=None)
            return
        language = data.language or state["language"] or state["candidate_language"] or state["vacancy_language"]
        started = time.perf_counter()
        log.info(
            "transcription started",
            extra={"interview_id": data.interview_id, "source": data.source, "language": language},
        )
        try:
            with tempfile.TemporaryDirectory(prefix="tm-media-", dir=self.work_dir) as tmp:
                path = await self._media(data, state["media_path"], Path(tmp))
                result = await asyncio.to_thread(self.pipeline.run, path, language=language)
        except (TranscriptionError, MediaFetchError) as exc:
            await self._fail(event, exc)
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
        await self._announce(event, language=result.language, result=result)

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
        self, event: InterviewRequested, *, language: str | None, result: TranscriptResult | None
    ) -> None:
        data = event.data
        async with self.pool.acquire() as conn, conn.transaction():
            if not await claim_event(conn, CONSUMER, event.id):
                return
            if result is not None:
                await store_transcript(conn, data.interview_id, result.stored_turns(), language=language, source="asr")
            await conn.execute(
                "UPDATE interviews SET language = $2, updated_at = now() WHERE id = $1", data.interview_id, language
            )
            await enqueue(
                conn,
                InterviewTranscribed(
                    org_id=event.org_id,
                    data=InterviewTranscribedData(
                        interview_id=data.interview_id,
                        candidate_id=data.candidate_id,
                        vacancy_id=data.vacancy_id,
                        language=language,
                    ),
                ),
            )

    async def _fail(self, event: InterviewRequested, exc: TranscriptionError | MediaFetchError) -> None:
        message = getattr(exc, "message", None) or str(exc)
        metrics.FAILURES.labels(exc.code).inc()
        log.warning(
            "transcription failed", extra={"interview_id": event.data.interview_id, "code": exc.code, "error": message}
        )
        await fail_interview(self.pool, consumer=CONSUMER, cause=event, code=exc.code, message=message)
