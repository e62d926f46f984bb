"""The scorer's handling of ``interview.transcribed``.

Loads the transcript, the vacancy (competency weights, salary range) and the organisation's language, assesses
the interview (``talentmind.scoring.interview``), and in one transaction stores the scores, the evidence and the
report, marks the interview ``completed``, and emits ``interview.completed``, ``candidate.scored`` and
``report.ready``. Assessment is CPU work and runs in a worker thread. Redelivery is harmless: the event id is
claimed in the same transaction, and an interview that is no longer ``processing`` is skipped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import asyncpg

from talentmind import interview_life
from talentmind.events import (
    Event,
    InterviewTranscribed,
)
from talentmind.kafka.consumer import Handler
from talentmind.report_links import ReportLinks
from talentmind.scoring.interview import InterviewAssessment, InterviewScorer, VacancyTerms
from talentmind_scorer import metrics

log = logging.getLogger(__name__)
CONSUMER = "scorer"


class InterviewScoring:
    def __init__(self, pool: asyncpg.Pool, scorer: InterviewScorer, links: ReportLinks) -> None:
        self.pool = pool
        self.scorer = scorer
        self.links = links

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
        report_url = self.links.interview(event.org_id, event.data.interview_id)
        async with self.pool.acquire() as conn, conn.transaction():
            await interview_life.record_scores(
                conn, consumer=CONSUMER, cause=event, assessment=assessment, report_url=report_url
            )

    async def _fail(self, event: InterviewTranscribed, code: str, message: str) -> None:
        metrics.FAILURES.labels(code).inc()
        await interview_life.fail_for_event(self.pool, consumer=CONSUMER, cause=event, code=code, message=message)
