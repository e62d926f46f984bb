"""The scorer's handling of ``interview.transcribed``.

Loads the transcript, the vacancy (competency weights, salary range) and the organisation's language, assesses
the interview (``talentmind.scoring.interview``), and in one transaction stores the scores, the evidence and the
report, marks the interview ``completed``, and emits ``interview.completed``, ``candidate.scored`` and
``report.ready``. Assessment is CPU work and runs in a worker thread. Redelivery is harmless: the event id is
claimed in the same transaction, and an interview that is no longer ``processing`` is skipped.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from typing import Any

import asyncpg

from talentmind.db.idempotency import claim_event
from talentmind.db.outbox import enqueue
from talentmind.db.reports import store_report
from talentmind.events import (
    CandidateScored,
    CandidateScoredData,
    Event,
    InterviewCompleted,
    InterviewCompletedData,
    InterviewTranscribed,
    ReportReady,
    ReportReadyData,
)
from talentmind.interview_failure import fail_interview
from talentmind.kafka.consumer import Handler
from talentmind.scoring.interview import InterviewAssessment, InterviewScorer, VacancyTerms
from talentmind_scorer import metrics

log = logging.getLogger(__name__)
CONSUMER = "scorer"


class InterviewScoring:
    def __init__(self, pool: asyncpg.Pool, scorer: InterviewScorer, public_base_url: str) -> None:
        self.pool = pool
        self.scorer = scorer
        self.public_base_url = public_base_url.rstrip("/")

    def handler(self) -> Handler:
        async def handle(event: Event[Any]) -> None:
            if isinstance(event, InterviewTranscribed):
                await self.handle_transcribed(event)

        return handle

    async def handle_transcribed(self, event: InterviewTranscribed) -> None:
        data = event.data
        row = await self.pool.fetchrow(
            "SELECT i.status, i.language, t.turns, o.language AS org_language, v.competency_weights, "
            "v.salary_min::float8 AS salary_min, v.salary_max::float8 AS salary_max, v.salary_currency, "
            "c.language AS candidate_language "
            "FROM interviews i JOIN organizations o ON o.id = i.org_id "
            "LEFT JOIN transcripts t ON t.interview_id = i.id "
            "LEFT JOIN vacancies v ON v.org_id = i.org_id AND v.id = i.vacancy_id "
            "LEFT JOIN candidates c ON c.org_id = i.org_id AND c.id = i.candidate_id WHERE i.id = $1",
            data.interview_id,
        )
        if row is None or row["status"] != "processing":
            log.info("interview no longer waiting for scores", extra={"interview_id": data.interview_id})
            return
        if not row["turns"]:
            await self._fail(event, "no_transcript", "the interview has no transcript to score")
            return
        terms = VacancyTerms(
            weights=row["competency_weights"],
            salary_min=row["salary_min"],
            salary_max=row["salary_max"],
            salary_currency=row["salary_currency"],
        )
        started = time.perf_counter()
        assessment = await asyncio.to_thread(
            self.scorer.assess, row["turns"], vacancy=terms, report_language=row["org_language"]
        )
        metrics.SCORING_SECONDS.observe(time.perf_counter() - started)
        if not assessment.answers:
            await self._fail(event, "no_candidate_speech", "the transcript has no answers of the candidate to score")
            return
        await self._store(event, assessment)
        log.info(
            "interview scored",
            extra={
                "interview_id": data.interview_id,
                "match": assessment.match,
                "performance": assessment.performance,
                "seconds": round(time.perf_counter() - started, 3),
            },
        )

    async def _store(self, event: InterviewTranscribed, assessment: InterviewAssessment) -> None:
        data = event.data
        report_url = f"{self.public_base_url}/r/{data.interview_id}"
        async with self.pool.acquire() as conn, conn.transaction():
            if not await claim_event(conn, CONSUMER, event.id):
                return
            updated = await conn.execute(
                "UPDATE interviews SET status = 'completed', scores = $2, performance = $3, match = $4, "
                "evidence = $5, completed_at = now(), updated_at = now() WHERE id = $1 AND status = 'processing'",
                data.interview_id,
                assessment.scores,
                assessment.performance,
                assessment.match,
                assessment.evidence_json(),
            )
            if not updated.endswith(" 1"):
                return
            await store_report(
                conn,
                interview_id=data.interview_id,
                org_id=event.org_id,
                candidate_id=data.candidate_id,
                language=assessment.report_language,
                recommendation=assessment.report.recommendation,
                strengths=assessment.report.strengths,
                risks=assessment.report.risks,
                red_flags=[dataclasses.asdict(f) for f in assessment.red_flags],
                confidence=assessment.confidence,
            )
            for outgoing in (
                InterviewCompleted(org_id=event.org_id, data=InterviewCompletedData(
                    interview_id=data.interview_id, candidate_id=data.candidate_id, vacancy_id=data.vacancy_id,
                    match=assessment.match)),
                CandidateScored(org_id=event.org_id, data=CandidateScoredData(
                    candidate_id=data.candidate_id, interview_id=data.interview_id, match=assessment.match,
                    scores=assessment.scores)),
                ReportReady(org_id=event.org_id, data=ReportReadyData(
                    candidate_id=data.candidate_id, interview_id=data.interview_id, report_url=report_url)),
            ):  # fmt: skip
                await enqueue(conn, outgoing)

    async def _fail(self, event: InterviewTranscribed, code: str, message: str) -> None:
        metrics.FAILURES.labels(code).inc()
        await fail_interview(self.pool, consumer=CONSUMER, cause=event, code=code, message=message)
