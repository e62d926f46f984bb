"""The interview's life, in one place: every step is a function the gateway or a consumer calls.

    submitted ──► transcribed ──► scored (completed)
        │              │
        └──────────────┴──► failed (a code)        re-queued: a step's event again, a bounded number of times

    erased: the candidate and every interview of theirs, at any point of the above

Each step runs in the caller's transaction and writes the interview's row together with the event that announces
the step (through the outbox), so the row and the event are never apart. A step applied to an interview that is no
longer ``processing`` changes nothing, and the consumers claim the id of the event that caused a step in the same
transaction (``claim_event``), so a redelivered event is applied once. A step that finds its interview erased
writes nothing (its ``UPDATE`` matches no row).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import asyncpg

from talentmind.db.candidates import ensure_candidate, ensure_vacancy
from talentmind.db.idempotency import claim_event
from talentmind.db.interviews import Interview, insert_interview, mark_failed
from talentmind.db.outbox import enqueue
from talentmind.db.pool import Connection
from talentmind.db.reports import store_report
from talentmind.db.transcripts import store_transcript
from talentmind.events import (
    CandidateDeleted,
    CandidateDeletedData,
    CandidateScored,
    CandidateScoredData,
    Event,
    InterviewCompleted,
    InterviewCompletedData,
    InterviewFailed,
    InterviewFailedData,
    InterviewRequested,
    InterviewRequestedData,
    InterviewTranscribed,
    InterviewTranscribedData,
    ReportReady,
    ReportReadyData,
)

if TYPE_CHECKING:  # the scoring models are heavy; only the scorer needs them at run time
    from talentmind.scoring.interview import InterviewAssessment


@dataclass(frozen=True)
class Submission:
    org_id: str
    interview_id: str
    candidate_id: str
    vacancy_id: str
    source: str  # "url" | "upload" | "transcript"
    media_url: str | None = None
    media_path: str | None = None
    media_content_type: str | None = None
    language: str | None = None
    transcript: Sequence[dict[str, Any]] | None = None


async def submit(conn: Connection, s: Submission) -> Interview:
    """A new interview, ``processing``: its candidate and vacancy exist afterwards, a transcript that came with it
    is stored, and ``interview.requested`` is enqueued."""
    await ensure_candidate(conn, s.org_id, s.candidate_id)
    await ensure_vacancy(conn, s.org_id, s.vacancy_id)
    interview = await insert_interview(
        conn,
        interview_id=s.interview_id,
        org_id=s.org_id,
        candidate_id=s.candidate_id,
        vacancy_id=s.vacancy_id,
        source=s.source,
        media_url=s.media_url,
        media_path=s.media_path,
        media_content_type=s.media_content_type,
        language=s.language,
    )
    if s.transcript is not None:
        await store_transcript(conn, s.interview_id, list(s.transcript), language=s.language, source="client")
    await enqueue(
        conn,
        InterviewRequested(
            org_id=s.org_id,
            data=InterviewRequestedData(
                interview_id=s.interview_id,
                candidate_id=s.candidate_id,
                vacancy_id=s.vacancy_id,
                source=s.source,
                media_url=s.media_url,
                language=s.language,
            ),
        ),
    )
    return interview


async def record_transcript(
    conn: Connection,
    *,
    consumer: str,
    cause: InterviewRequested,
    language: str | None,
    turns: list[dict[str, Any]] | None,
) -> bool:
    """The transcriber's step: store the recognised ``turns`` (None: the interview came with its transcript), the
    interview's language, and enqueue ``interview.transcribed``. False (nothing written) when ``cause`` was
    already applied."""
    data = cause.data
    if not await claim_event(conn, consumer, cause.id):
        return False
    if turns is not None:
        await store_transcript(conn, data.interview_id, turns, language=language, source="asr")
    await conn.execute(
        "UPDATE interviews SET language = $2, updated_at = now() WHERE id = $1", data.interview_id, language
    )
    await enqueue(
        conn,
        InterviewTranscribed(
            org_id=cause.org_id,
            data=InterviewTranscribedData(
                interview_id=data.interview_id,
                candidate_id=data.candidate_id,
                vacancy_id=data.vacancy_id,
                language=language,
            ),
        ),
    )
    return True


async def record_scores(
    conn: Connection, *, consumer: str, cause: InterviewTranscribed, assessment: InterviewAssessment, report_url: str
) -> bool:
    """The scorer's step: the interview is ``completed`` with its scores and evidence, its report stored, and
    ``interview.completed``, ``candidate.scored`` and ``report.ready`` enqueued. False (nothing written) when
    ``cause`` was already applied or the interview is no longer ``processing``."""
    data = cause.data
    if not await claim_event(conn, consumer, cause.id):
        return False
    updated = await conn.execute(
        "UPDATE interviews SET status = 'completed', scores = $2, performance = $3, match = $4, "
        "evidence = $5, culture_signals = $6, completed_at = now(), updated_at = now() "
        "WHERE id = $1 AND status = 'processing'",
        data.interview_id,
        assessment.scores,
        assessment.performance,
        assessment.match,
        assessment.evidence_json(),
        assessment.culture.to_json() if assessment.culture is not None else None,
    )
    if not updated.endswith(" 1"):
        return False
    await store_report(
        conn,
        interview_id=data.interview_id,
        org_id=cause.org_id,
        candidate_id=data.candidate_id,
        language=assessment.report_language,
        recommendation=assessment.report.recommendation,
        strengths=assessment.report.strengths,
        risks=assessment.report.risks,
        red_flags=[asdict(f) for f in assessment.red_flags],
        confidence=assessment.confidence,
    )
    for outgoing in (
        InterviewCompleted(org_id=cause.org_id, data=InterviewCompletedData(
            interview_id=data.interview_id, candidate_id=data.candidate_id, vacancy_id=data.vacancy_id,
            match=assessment.match)),
        CandidateScored(org_id=cause.org_id, data=CandidateScoredData(
            candidate_id=data.candidate_id, interview_id=data.interview_id, match=assessment.match,
            scores=assessment.scores)),
        ReportReady(org_id=cause.org_id, data=ReportReadyData(
            candidate_id=data.candidate_id, interview_id=data.interview_id, report_url=report_url)),
    ):  # fmt: skip
        await enqueue(conn, outgoing)
    return True


async def fail(
    conn: Connection,
    *,
    org_id: str,
    interview_id: str,
    candidate_id: str,
    vacancy_id: str,
    code: str,
    message: str,
) -> bool:
    """A processing interview is ``failed`` with ``code`` and ``interview.failed`` is enqueued; False (and nothing
    written) when it was already final."""
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


async def fail_for_event(pool: asyncpg.Pool, *, consumer: str, cause: Event[Any], code: str, message: str) -> bool:
    """:func:`fail_for_event_in` in a transaction of its own."""
    async with pool.acquire() as conn, conn.transaction():
        return await fail_for_event_in(conn, consumer=consumer, cause=cause, code=code, message=message)


async def fail_for_event_in(conn: Connection, *, consumer: str, cause: Event[Any], code: str, message: str) -> bool:
    """In the caller's transaction: :func:`fail` the interview of ``cause`` and claim ``cause``'s id for
    ``consumer`` (a redelivered event changes nothing). True when this call failed it."""
    data = cause.data
    if not await claim_event(conn, consumer, cause.id):
        return False
    return await fail(
        conn,
        org_id=cause.org_id,
        interview_id=data.interview_id,
        candidate_id=data.candidate_id,
        vacancy_id=data.vacancy_id,
        code=code,
        message=message,
    )


async def requeue(conn: Connection, stage_event: InterviewRequested | InterviewTranscribed) -> None:
    """The interview's current step is asked for again: its event (a new id, so consumers handle it afresh) is
    enqueued and the row's ``requeues`` count goes up (the sweeper bounds it)."""
    await conn.execute(
        "UPDATE interviews SET requeues = requeues + 1, updated_at = now() WHERE id = $1",
        stage_event.data.interview_id,
    )
    await enqueue(conn, stage_event)


@dataclass(frozen=True)
class Erasure:
    """What erasing a candidate removed. ``media_paths`` are the stored recordings to delete once the
    transaction has committed (:func:`erase_media`)."""

    interviews: int
    media_paths: tuple[str, ...]


# Rows that hold a candidate's data outside the tables keyed by them: matched by an id of theirs as a JSON string.
_MENTIONS = {
    "outbox": "payload->>'org_id' = $1 AND payload::text LIKE ANY($2)",
    "webhook_deliveries": "org_id = $1 AND payload::text LIKE ANY($2)",
    "idempotency_keys": "org_id = $1 AND (response_body::text LIKE ANY($2) OR path LIKE ANY($3))",
}


async def erase_candidate(conn: Connection, org_id: str, candidate_id: str) -> Erasure | None:
    """The erasure step, in the caller's transaction: the candidate, their interviews (and with them transcripts,
    scores, evidence, culture signals, reports, transcription jobs), their culture preferences, and every outbox
    event, webhook delivery (with its attempts) and stored idempotent answer that mentions the candidate or one of
    their interviews. ``candidate.deleted`` is enqueued, carrying the client's candidate id only. None when the
    organisation has no such candidate and no interview of theirs."""
    candidate = await conn.fetchval(
        "SELECT 1 FROM candidates WHERE org_id = $1 AND id = $2 FOR UPDATE", org_id, candidate_id
    )
    interviews = await conn.fetch(
        "SELECT id, media_path FROM interviews WHERE org_id = $1 AND candidate_id = $2 FOR UPDATE",
        org_id,
        candidate_id,
    )
    if candidate is None and not interviews:
        return None
    ids = [candidate_id, *(row["id"] for row in interviews)]
    quoted = [f'%"{_like_escape(i)}"%' for i in ids]
    in_path = [pattern for i in ids for pattern in (f"%/{_like_escape(i)}", f"%/{_like_escape(i)}/%")]
    for table, where in _MENTIONS.items():
        params = (org_id, quoted, in_path) if "$3" in where else (org_id, quoted)
        await conn.execute(f"DELETE FROM {table} WHERE {where}", *params)
    await conn.execute("DELETE FROM reports WHERE org_id = $1 AND candidate_id = $2", org_id, candidate_id)
    await conn.execute("DELETE FROM interviews WHERE org_id = $1 AND candidate_id = $2", org_id, candidate_id)
    await conn.execute("DELETE FROM candidates WHERE org_id = $1 AND id = $2", org_id, candidate_id)
    media = tuple(row["media_path"] for row in interviews if row["media_path"])
    await enqueue(
        conn,
        CandidateDeleted(
            org_id=org_id,
            data=CandidateDeletedData(
                candidate_id=candidate_id, interviews_erased=len(interviews), media_files_erased=len(media)
            ),
        ),
    )
    return Erasure(len(interviews), media)


def erase_media(paths: Sequence[str]) -> int:
    """Delete erased recordings from the media folder (after the erasure committed); how many were there. A file
    already gone is fine: erasure is idempotent."""
    removed = 0
    for path in paths:
        try:
            os.unlink(path)
            removed += 1
        except FileNotFoundError:
            continue
    return removed


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
