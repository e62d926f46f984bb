"""Handlers of the transcriber's events.

An interview whose transcript came with the request (``source == "transcript"``) needs no speech recognition: it
is announced as transcribed at once. Speech recognition of recordings is not built yet (issue #4); until then such
an interview ends ``failed`` with the code ``transcription_unavailable`` instead of hanging in ``processing``.
"""

from __future__ import annotations

import logging
from typing import Any

import asyncpg

from talentmind.db.idempotency import claim_event
from talentmind.db.interviews import mark_failed
from talentmind.db.outbox import enqueue
from talentmind.events import (
    Event,
    InterviewFailed,
    InterviewFailedData,
    InterviewRequested,
    InterviewTranscribed,
    InterviewTranscribedData,
)
from talentmind.kafka.consumer import Handler

log = logging.getLogger(__name__)
CONSUMER = "transcriber"


def make_interview_requested_handler(pool: asyncpg.Pool) -> Handler:
    async def handle(event: Event[Any]) -> None:
        if not isinstance(event, InterviewRequested):
            return
        data = event.data
        async with pool.acquire() as conn, conn.transaction():
            if not await claim_event(conn, CONSUMER, event.id):
                log.info("event already handled", extra={"event_id": str(event.id)})
                return
            if data.source == "transcript":
                await enqueue(
                    conn,
                    InterviewTranscribed(
                        org_id=event.org_id,
                        data=InterviewTranscribedData(
                            interview_id=data.interview_id,
                            candidate_id=data.candidate_id,
                            vacancy_id=data.vacancy_id,
                            language=data.language,
                        ),
                    ),
                )
                log.info("transcript supplied, ASR skipped", extra={"interview_id": data.interview_id})
                return
            message = "Speech recognition is not available in this deployment yet"
            if await mark_failed(conn, data.interview_id, "transcription_unavailable", message):
                await enqueue(
                    conn,
                    InterviewFailed(
                        org_id=event.org_id,
                        data=InterviewFailedData(
                            interview_id=data.interview_id,
                            candidate_id=data.candidate_id,
                            vacancy_id=data.vacancy_id,
                            error_code="transcription_unavailable",
                            message=message,
                        ),
                    ),
                )

    return handle
