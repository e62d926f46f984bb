"""The interview's life against a real PostgreSQL: each step writes the row and its event together, once."""

from __future__ import annotations

import secrets

import asyncpg

from talentmind import interview_life
from talentmind.db.organizations import get_or_create_org
from talentmind.events import InterviewRequested, InterviewRequestedData

TRANSCRIPT = [{"speaker": "candidate", "text": "I led the migration.", "start": 0.0, "end": 2.0}]


async def _events(pool: asyncpg.Pool, interview_id: str) -> list[str]:
    rows = await pool.fetch("SELECT topic FROM outbox WHERE key = $1 ORDER BY seq", interview_id)
    return [r["topic"] for r in rows]


async def _submitted(pool: asyncpg.Pool) -> interview_life.Submission:
    async with pool.acquire() as conn, conn.transaction():
        org = await get_or_create_org(conn, f"org-{secrets.token_hex(4)}", "en")
        submission = interview_life.Submission(
            org_id=org.id,
            interview_id=f"int_{secrets.token_hex(6)}",
            candidate_id="cand-1",
            vacancy_id="vac-1",
            source="transcript",
            language="en",
            transcript=TRANSCRIPT,
        )
        await interview_life.submit(conn, submission)
    return submission


def _requested(s: interview_life.Submission) -> InterviewRequested:
    return InterviewRequested(
        org_id=s.org_id,
        data=InterviewRequestedData(
            interview_id=s.interview_id, candidate_id=s.candidate_id, vacancy_id=s.vacancy_id, source=s.source
        ),
    )


async def test_submit_writes_the_interview_its_transcript_and_the_request_together(pool: asyncpg.Pool) -> None:
    s = await _submitted(pool)
    row = await pool.fetchrow("SELECT status, source FROM interviews WHERE id = $1", s.interview_id)
    assert row is not None and (row["status"], row["source"]) == ("processing", "transcript")
    assert await pool.fetchval("SELECT turns FROM transcripts WHERE interview_id = $1", s.interview_id) == TRANSCRIPT
    assert await pool.fetchval("SELECT count(*) FROM candidates WHERE org_id = $1", s.org_id) == 1
    assert await _events(pool, s.interview_id) == ["interview.requested"]


async def test_a_redelivered_cause_records_the_transcript_once(pool: asyncpg.Pool) -> None:
    s = await _submitted(pool)
    cause = _requested(s)
    results = []
    for _ in range(2):
        async with pool.acquire() as conn, conn.transaction():
            results.append(
                await interview_life.record_transcript(conn, consumer="test", cause=cause, language="en", turns=None)
            )
    assert results == [True, False]
    assert await _events(pool, s.interview_id) == ["interview.requested", "interview.transcribed"]


async def test_failing_is_final_and_announced_once(pool: asyncpg.Pool) -> None:
    s = await _submitted(pool)
    first = await interview_life.fail_for_event(pool, consumer="test", cause=_requested(s), code="x", message="m")
    # another cause (a different event id) cannot fail it again: failed is final
    again = await interview_life.fail_for_event(pool, consumer="test", cause=_requested(s), code="y", message="m")
    assert (first, again) == (True, False)
    row = await pool.fetchrow("SELECT status, error_code FROM interviews WHERE id = $1", s.interview_id)
    assert row is not None and (row["status"], row["error_code"]) == ("failed", "x")
    assert await _events(pool, s.interview_id) == ["interview.requested", "interview.failed"]


async def test_requeue_counts_and_asks_for_the_step_again(pool: asyncpg.Pool) -> None:
    s = await _submitted(pool)
    async with pool.acquire() as conn, conn.transaction():
        await interview_life.requeue(conn, _requested(s))
    assert await pool.fetchval("SELECT requeues FROM interviews WHERE id = $1", s.interview_id) == 1
    assert await _events(pool, s.interview_id) == ["interview.requested", "interview.requested"]
