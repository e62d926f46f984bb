"""The sweeper: no interview stays ``processing`` past its stage's deadline.

An interview waits for its transcript (stage ``transcription``: ``transcription_deadline_s`` since it was submitted)
and then for its scores (stage ``scoring``: ``scoring_deadline_s`` since the transcript was stored; both stages move
``updated_at``). Past the deadline it is re-queued (its stage's event is emitted again through the outbox, with a new
event id, so the consumer handles it afresh) up to ``max_requeues`` times, counted in the row; after that it fails
with ``timed_out`` and ``interview.failed`` is emitted. Rows are taken with ``FOR UPDATE SKIP LOCKED``, so several
dispatcher replicas sweep without doing the same interview twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

import asyncpg

from talentmind.db.deliveries import prune_deliveries
from talentmind.events import InterviewRequested, InterviewRequestedData, InterviewTranscribed, InterviewTranscribedData
from talentmind.interview_life import fail, requeue
from talentmind.outages import is_outage
from talentmind.settings import Settings

log = logging.getLogger(__name__)

TIMED_OUT_CODE = "timed_out"
BATCH = 100
DELIVERY_COUNT_TTL_S = 7 * 24 * 3600.0
"""Delivery counts untouched this long were left by a consumer that could not remove them; the sweeper prunes them."""


@dataclass(frozen=True)
class Deadlines:
    transcription_s: float
    scoring_s: float
    max_requeues: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Deadlines:
        return cls(settings.transcription_deadline_s, settings.scoring_deadline_s, settings.max_requeues)


@dataclass(frozen=True)
class SweepResult:
    requeued: list[str]
    failed: list[str]


_OVERDUE = """
SELECT i.id, i.org_id, i.candidate_id, i.vacancy_id, i.source, i.media_url, i.language, i.requeues,
       (t.interview_id IS NOT NULL) AS transcribed
FROM interviews i LEFT JOIN transcripts t ON t.interview_id = i.id
WHERE i.status = 'processing'
  AND i.updated_at < now() - make_interval(secs => CASE WHEN t.interview_id IS NULL THEN $1::float8 ELSE $2::float8 END)
ORDER BY i.updated_at
LIMIT $3::int
FOR UPDATE OF i SKIP LOCKED
"""


async def sweep(pool: asyncpg.Pool, deadlines: Deadlines) -> SweepResult:
    """One pass: re-queue or fail every overdue interview (at most ``BATCH``), in one transaction."""
    requeued: list[str] = []
    failed: list[str] = []
    async with pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(_OVERDUE, deadlines.transcription_s, deadlines.scoring_s, BATCH)
        for row in rows:
            if row["requeues"] >= deadlines.max_requeues:
                stage = "scores" if row["transcribed"] else "a transcript"
                await fail(
                    conn,
                    org_id=row["org_id"],
                    interview_id=row["id"],
                    candidate_id=row["candidate_id"],
                    vacancy_id=row["vacancy_id"],
                    code=TIMED_OUT_CODE,
                    message=f"no {stage} after {deadlines.max_requeues} re-queues past the deadline",
                )
                failed.append(row["id"])
                continue
            await requeue(conn, _stage_event(row))
            requeued.append(row["id"])
    if requeued or failed:
        log.warning("overdue interviews swept", extra={"requeued": requeued, "failed": failed})
    return SweepResult(requeued, failed)


def _stage_event(row: asyncpg.Record) -> InterviewRequested | InterviewTranscribed:
    if row["transcribed"]:
        return InterviewTranscribed(
            org_id=row["org_id"],
            data=InterviewTranscribedData(
                interview_id=row["id"],
                candidate_id=row["candidate_id"],
                vacancy_id=row["vacancy_id"],
                language=row["language"],
            ),
        )
    return InterviewRequested(
        org_id=row["org_id"],
        data=InterviewRequestedData(
            interview_id=row["id"],
            candidate_id=row["candidate_id"],
            vacancy_id=row["vacancy_id"],
            source=row["source"],
            media_url=row["media_url"],
            language=row["language"],
        ),
    )


class Sweeper:
    """Runs ``sweep`` every ``interval_s`` until stopped; an outage is waited out, other errors logged."""

    def __init__(self, pool: asyncpg.Pool, deadlines: Deadlines, interval_s: float) -> None:
        self.pool = pool
        self.deadlines = deadlines
        self.interval_s = interval_s
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                await sweep(self.pool, self.deadlines)
                await prune_deliveries(self.pool, older_than_s=DELIVERY_COUNT_TTL_S)
            except Exception as exc:
                if is_outage(exc):
                    log.warning("sweeper: database unavailable", extra={"error": repr(exc)})
                else:
                    log.exception("sweeper pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval_s)
