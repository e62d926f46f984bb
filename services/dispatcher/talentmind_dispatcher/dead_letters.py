"""The dispatcher's consumer of the pipeline's dead-letter topics: an interview whose ``interview.requested`` or
``interview.transcribed`` event was given up (its own fault after the retries, or it killed its consumer too many
times) is failed with ``DEAD_LETTERED_CODE`` and announced, so it never stays ``processing``. An interview already
final is left as it is."""

from __future__ import annotations

from typing import Any

import asyncpg

from talentmind import interview_life
from talentmind.events import Event, InterviewRequested, InterviewTranscribed
from talentmind.kafka.consumer import Handler

CONSUMER = "dead-letters"
DEAD_LETTERED_CODE = "processing_failed"


def dead_letter_handler(pool: asyncpg.Pool) -> Handler:
    async def handle(event: Event[Any]) -> None:
        if not isinstance(event, InterviewRequested | InterviewTranscribed):
            return
        await interview_life.fail_for_event(
            pool,
            consumer=CONSUMER,
            cause=event,
            code=DEAD_LETTERED_CODE,
            message="processing failed repeatedly and was given up; the operators' logs have the reason",
        )

    return handle
