"""The transcription job queue in PostgreSQL (table ``transcription_jobs``): every statement on it lives here.

A job is one interview's transcription. Its life: ``queued`` (recorded by the ``interview.requested`` handler) →
``running`` under a lease (``lease`` token, ``locked_until``) → ``done`` or ``failed``. A worker acts on a row only
while its lease token matches, so a worker that lost its lease (it stalled, another took the job) changes nothing.

* ``claim`` takes the next job for a free worker: fairly across organisations (``fairness.serving_order``), with
  ``FOR UPDATE SKIP LOCKED``, and with a transaction-level advisory lock around the choice so that two workers
  choosing at once see each other's claims (otherwise both would pick the same least-busy organisation).
* Taking a job counts an attempt in the row. A job whose lease ran out ``max_attempts`` times, or that raised that
  many times, is not taken again: its interview fails with ``CRASHED_CODE`` in the claiming transaction.
* ``release`` hands a job back on shutdown with the attempt undone: a deploy is not a crash.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg

from talentmind import interview_life
from talentmind.db.pool import Connection, Executor
from talentmind.events import InterviewRequested
from talentmind_transcriber.fairness import OrgQueue, serving_order

CONSUMER = "transcriber"
CRASHED_CODE = "transcription_crashed"
# pg_advisory_xact_lock key of the claim (any constant unique to this queue): ASCII "tm-jobs".
CLAIM_LOCK = 0x746D2D6A6F6273

# A job a worker may take now: queued and due (a retry waits out its backoff in locked_until), or running under a
# lease that has expired (its worker died or stalled).
_TAKEABLE = (
    "((state = 'queued' AND (locked_until IS NULL OR locked_until <= now())) "
    "OR (state = 'running' AND locked_until < now()))"
)


@dataclass(frozen=True)
class Job:
    interview_id: str
    org_id: str
    event: InterviewRequested
    attempt: int  # this one, 1-based
    lease: uuid.UUID
    waited_s: float  # since the job was queued


@dataclass(frozen=True)
class Claim:
    job: Job | None
    crashed: list[str]  # interviews failed in this claim because their jobs used up their attempts
    queued: int  # jobs waiting across organisations after the claim
    running: int  # jobs under a live lease after the claim


async def enqueue(conn: Connection, event: InterviewRequested) -> bool:
    """Record the job of ``event``; False when the interview already has one (a redelivery or a re-queue while the
    first job is open: one job per interview)."""
    inserted = await conn.fetchval(
        "INSERT INTO transcription_jobs (interview_id, org_id, event) VALUES ($1, $2, $3) "
        "ON CONFLICT (interview_id) DO NOTHING RETURNING 1",
        event.data.interview_id,
        event.org_id,
        event.model_dump(mode="json"),
    )
    return inserted is not None


async def claim(pool: asyncpg.Pool, *, lease_s: float, max_per_org: int, max_attempts: int) -> Claim:
    """Take the next job for one free worker (None when nothing waits), failing exhausted jobs on the way."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", CLAIM_LOCK)
        crashed = await _fail_exhausted(conn, max_attempts)
        queues = await _queues(conn)
        job = None
        for org_id in serving_order(queues, max_per_org):
            job = await _take(conn, org_id, lease_s)
            if job is not None:
                break
    queued = sum(q.waiting for q in queues) - (job is not None)
    running = sum(q.running for q in queues) + (job is not None)
    return Claim(job, crashed, queued, running)


async def _queues(conn: Connection) -> list[OrgQueue]:
    rows = await conn.fetch(
        f"""
        SELECT org_id,
               count(*) FILTER (WHERE state = 'running' AND locked_until >= now()) AS running,
               count(*) FILTER (WHERE {_TAKEABLE}) AS waiting,
               min(created_at) FILTER (WHERE {_TAKEABLE}) AS oldest_waiting
        FROM transcription_jobs WHERE state IN ('queued', 'running')
        GROUP BY org_id
        """
    )
    return [OrgQueue(r["org_id"], r["running"], r["waiting"], r["oldest_waiting"]) for r in rows]


async def _take(conn: Connection, org_id: str, lease_s: float) -> Job | None:
    lease = uuid.uuid4()
    row = await conn.fetchrow(
        f"""
        WITH picked AS (
            SELECT interview_id FROM transcription_jobs
            WHERE org_id = $1 AND {_TAKEABLE}
            ORDER BY created_at, interview_id LIMIT 1
            FOR UPDATE SKIP LOCKED
        )
        UPDATE transcription_jobs j
           SET state = 'running', attempts = j.attempts + 1, lease = $2,
               locked_until = now() + make_interval(secs => $3), started_at = now(), updated_at = now()
          FROM picked WHERE j.interview_id = picked.interview_id
        RETURNING j.interview_id, j.org_id, j.event, j.attempts,
                  extract(epoch FROM now() - j.created_at)::float8 AS waited_s
        """,
        org_id, lease, lease_s,
    )  # fmt: skip
    if row is None:
        return None
    event = InterviewRequested.model_validate(row["event"])
    return Job(row["interview_id"], row["org_id"], event, row["attempts"], lease, row["waited_s"])


async def _fail_exhausted(conn: Connection, max_attempts: int) -> list[str]:
    """Inside the claim: fail the interviews of takeable jobs that have had ``max_attempts`` attempts already."""
    rows = await conn.fetch(
        f"""
        UPDATE transcription_jobs
           SET state = 'failed', lease = NULL, locked_until = NULL, finished_at = now(), updated_at = now()
         WHERE interview_id IN (
             SELECT interview_id FROM transcription_jobs
             WHERE {_TAKEABLE} AND attempts >= $1
             FOR UPDATE SKIP LOCKED
         )
        RETURNING interview_id, org_id, event, attempts, last_error
        """,
        max_attempts,
    )
    for row in rows:
        event = InterviewRequested.model_validate(row["event"])
        await interview_life.fail_for_event_in(
            conn,
            consumer=CONSUMER,
            cause=event,
            code=CRASHED_CODE,
            message=crashed_message(row["attempts"], row["last_error"]),
        )
    return [r["interview_id"] for r in rows]


def crashed_message(attempts: int, last_error: str | None) -> str:
    if last_error:
        return f"the transcription failed {attempts} times; the last error: {last_error}"
    return (
        f"the transcriber stopped during each of {attempts} attempts at this recording "
        "(the process was killed, for example for memory)"
    )


async def heartbeat(pool: asyncpg.Pool, job: Job, lease_s: float) -> bool:
    """Extend the job's lease; False when the worker no longer holds it (expired and taken by another, or over)."""
    renewed = await pool.fetchval(
        "UPDATE transcription_jobs SET locked_until = now() + make_interval(secs => $3), updated_at = now() "
        "WHERE interview_id = $1 AND lease = $2 AND state = 'running' RETURNING 1",
        job.interview_id,
        job.lease,
        lease_s,
    )
    return renewed is not None


async def finish(conn: Executor, job: Job, state: str) -> None:
    """Mark the job ``done`` or ``failed``, in the transaction that commits its outcome."""
    await conn.execute(
        "UPDATE transcription_jobs SET state = $3, lease = NULL, locked_until = NULL, finished_at = now(), "
        "updated_at = now() WHERE interview_id = $1 AND lease = $2",
        job.interview_id,
        job.lease,
        state,
    )


async def release(pool: asyncpg.Pool, job: Job) -> bool:
    """Hand the job back at once with its attempt undone (shutdown: the next worker, here or in a restarted
    process, takes it immediately, and a deploy does not count towards the crash limit)."""
    released = await pool.fetchval(
        "UPDATE transcription_jobs SET state = 'queued', attempts = greatest(attempts - 1, 0), lease = NULL, "
        "locked_until = now(), updated_at = now() WHERE interview_id = $1 AND lease = $2 AND state = 'running' "
        "RETURNING 1",
        job.interview_id,
        job.lease,
    )
    return released is not None


async def retry_later(pool: asyncpg.Pool, job: Job, delay_s: float, error: str, *, count: bool) -> None:
    """Put the job back after an error, due in ``delay_s``. ``count``: the attempt stays counted (the job's own
    error, bounded by the attempt limit); otherwise it is undone (an infrastructure outage is not the job's fault)."""
    await pool.execute(
        "UPDATE transcription_jobs SET state = 'queued', lease = NULL, last_error = $4, "
        "attempts = CASE WHEN $5 THEN attempts ELSE greatest(attempts - 1, 0) END, "
        "locked_until = now() + make_interval(secs => $3), updated_at = now() "
        "WHERE interview_id = $1 AND lease = $2 AND state = 'running'",
        job.interview_id,
        job.lease,
        delay_s,
        error[:500],
        count,
    )
