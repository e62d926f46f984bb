"""Failing an interview the same way in every service: ``failed`` with a code, announced once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from talentmind.db.idempotency import claim_event
from talentmind.db.interviews import mark_failed
from talentmind.db.outbox import enqueue
from talentmind.db.pool import Connection
from talentmind.events import Event, InterviewFailed, InterviewFailedData, InterviewRequested, InterviewTranscribed


async def fail_interview(pool: asyncpg.Pool, *, consumer: str, cause: Event[Any], code: str, message: str) -> bool:
    """Mark the interview of ``cause`` failed and emit ``interview.failed``, in one transaction that also claims
    ``cause``'s id for ``consumer`` (a redelivered event changes nothing). True when this call failed it."""
    data = cause.data
    async with pool.acquire() as conn, conn.transaction():
        if not await claim_event(conn, consumer, cause.id):
            return False
        return await fail_in_transaction(
            conn,
            org_id=cause.org_id,
            interview_id=data.interview_id,
            candidate_id=data.candidate_id,
            vacancy_id=data.vacancy_id,
            code=code,
            message=message,
        )


async def fail_in_transaction(
    conn: Connection,
    *,
    org_id: str,
    interview_id: str,
    candidate_id: str,
    vacancy_id: str,
    code: str,
    message: str,
) -> bool:
    """Inside the caller's transaction: mark a processing interview failed and enqueue ``interview.failed``; False
    (and nothing written) when it was already final."""
    if not await mark_failed(conn, interview_id, code, message):
        return False
    await enqueue(
        conn,
        InterviewFailed(
            org_id=org_id,
            data=InterviewFailedData(
                interview_id=interview_id,
                candidate_id=candidate_id,
                vacancy_id=vacancy_id,
                error_code=code,
                message=message,
            ),
        ),
    )
    return True


DEAD_LETTERS_CONSUMER = "dead-letters"
DEAD_LETTERED_CODE = "processing_failed"
"""The error code of an interview whose processing event was dead-lettered (its own fault, after the retries)."""


def dead_letter_handler(pool: asyncpg.Pool) -> Callable[[Event[Any]], Awaitable[None]]:
    """A handler for the dead-letter topics of the interview pipeline: the interview of a dead-lettered
    ``interview.requested`` or ``interview.transcribed`` is failed with ``DEAD_LETTERED_CODE`` and announced, so it
    never stays ``processing``. An interview already final is left as it is."""

    async def handle(event: Event[Any]) -> None:
        if not isinstance(event, InterviewRequested | InterviewTranscribed):
            return
        await fail_interview(
            pool,
            consumer=DEAD_LETTERS_CONSUMER,
            cause=event,
            code=DEAD_LETTERED_CODE,
            message="processing failed repeatedly and was given up; the operators' logs have the reason",
        )

    return handle
