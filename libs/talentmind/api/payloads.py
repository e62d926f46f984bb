"""The API's objects built from the database: what the gateway answers and what webhooks carry as ``data``.

Both the gateway's views and the dispatcher's webhook bodies use these builders, so a webhook's ``data`` has
exactly the fields the API would return for that object.
"""

from __future__ import annotations

from talentmind import culture
from talentmind.api.models import (
    CandidateName,
    CandidateReport,
    CandidateScore,
    InterviewDetail,
    InterviewError,
    RankedCandidate,
)
from talentmind.candidate_scores import CandidateAggregate, InterviewResult, aggregate
from talentmind.company_culture import CultureUnavailable, culture_fit
from talentmind.competencies import COMPETENCIES
from talentmind.db.candidates import get_candidate, get_vacancy
from talentmind.db.interviews import Interview, completed_results
from talentmind.db.pool import Executor
from talentmind.db.reports import latest_report
from talentmind.report_links import ReportLinks


def interview_detail(interview: Interview, links: ReportLinks) -> InterviewDetail:
    completed = interview.status == "completed"
    error = None
    if interview.status == "failed":
        error = InterviewError(code=interview.error_code or "failed", message=interview.error_message or "")
    return InterviewDetail(
        id=interview.id,
        status=interview.status,
        match=interview.match,
        report_url=links.interview(interview.org_id, interview.id) if completed else None,
        # JSONB keeps no key order: answer in the canonical competency order.
        scores={c: interview.scores[c] for c in COMPETENCIES if c in interview.scores} if interview.scores else None,
        candidate_id=interview.candidate_id,
        vacancy_id=interview.vacancy_id,
        language=interview.language,
        performance=interview.performance,
        evidence=interview.evidence,
        error=error,
        created_at=interview.created_at,
        completed_at=interview.completed_at,
    )


async def candidate_aggregates(conn: Executor, org_id: str, candidate_ids: list[str]) -> dict[str, CandidateAggregate]:
    results: dict[str, list[InterviewResult]] = {cid: [] for cid in candidate_ids}
    for row in await completed_results(conn, org_id, candidate_ids):
        results[row["candidate_id"]].append(InterviewResult(row["match"], row["performance"], row["scores"]))
    return {cid: aggregate(rs) for cid, rs in results.items()}


async def candidate_score(conn: Executor, org_id: str, candidate_id: str) -> CandidateScore:
    agg = (await candidate_aggregates(conn, org_id, [candidate_id]))[candidate_id]
    return CandidateScore(
        candidate_id=candidate_id, match=agg.match, scores=agg.scores, interviews_completed=agg.interviews
    )


def ranking(
    aggregates: dict[str, CandidateAggregate], candidate_ids: list[str], criteria: str
) -> list[RankedCandidate]:
    """Candidates by ``criteria``, best first (ties keep the order asked); every candidate must have a score."""
    return sorted(
        (RankedCandidate(candidate_id=cid, score=aggregates[cid].criterion(criteria) or 0.0) for cid in candidate_ids),
        key=lambda r: (-r.score, candidate_ids.index(r.candidate_id)),
    )


async def culture_fit_of(conn: Executor, org_id: str, candidate_id: str) -> culture.FitResult | None:
    """The candidate's culture fit, when the company has a profile and the candidate one of their own or
    interviews to infer it from (``company_culture.culture_fit``)."""
    try:
        return (await culture_fit(conn, org_id, candidate_id)).fit
    except CultureUnavailable:
        return None


async def candidate_report(conn: Executor, org_id: str, candidate_id: str) -> CandidateReport | None:
    """The candidate's report (None for an unknown candidate): the assessment of their latest scored interview,
    and ``compatibility`` = the culture fit when both culture profiles exist, else the candidate's match. Until
    an interview of theirs is scored, the assessment fields are empty."""
    candidate = await get_candidate(conn, org_id, candidate_id)
    if candidate is None:
        return None
    agg = (await candidate_aggregates(conn, org_id, [candidate_id]))[candidate_id]
    position = candidate["position"]
    if position is None:
        position = await _latest_vacancy_title(conn, org_id, candidate_id)
    report = await latest_report(conn, org_id, candidate_id)
    fit = await culture_fit_of(conn, org_id, candidate_id)
    return CandidateReport(
        candidate=CandidateName(name=candidate["name"], position=position),
        compatibility=fit.fit_score if fit is not None else agg.match,
        recommendation=report["recommendation"] if report else None,
        strengths=list(report["strengths"]) if report else [],
        risks=list(report["risks"]) if report else [],
    )


async def _latest_vacancy_title(conn: Executor, org_id: str, candidate_id: str) -> str | None:
    vacancy_id = await conn.fetchval(
        "SELECT vacancy_id FROM interviews WHERE org_id = $1 AND candidate_id = $2 ORDER BY created_at DESC LIMIT 1",
        org_id,
        candidate_id,
    )
    if vacancy_id is None:
        return None
    vacancy = await get_vacancy(conn, org_id, vacancy_id)
    return vacancy["title"] if vacancy else None
