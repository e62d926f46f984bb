"""/v1/candidates: the ATS's candidate records, their combined scores, report and comparison."""

from __future__ import annotations

from aiohttp import web

from talentmind.api.models import (
    Candidate,
    CandidateIn,
    CandidateName,
    CandidateReport,
    CandidateScore,
    CompareRequest,
    Comparison,
    RankedCandidate,
)
from talentmind.candidate_scores import CandidateAggregate, InterviewResult, aggregate
from talentmind.db.candidates import existing_candidates, get_candidate, get_vacancy, upsert_candidate
from talentmind.db.interviews import completed_results
from talentmind.db.pool import Executor
from talentmind.db.reports import latest_report
from talentmind.runtime import POOL
from talentmind_gateway.errors import NotFound, ValidationFailed
from talentmind_gateway.http import json_body, respond
from talentmind_gateway.typedefs import ORG
from talentmind_gateway.views.culture import culture_fit_of


async def put_view(request: web.Request) -> web.Response:
    body, _ = await json_body(request, CandidateIn)
    row = await upsert_candidate(request.app[POOL], request[ORG].id, request.match_info["id"], body.model_dump())
    return respond(Candidate(**dict(row)))


async def get_view(request: web.Request) -> web.Response:
    row = await get_candidate(request.app[POOL], request[ORG].id, request.match_info["id"])
    if row is None:
        raise NotFound("Candidate not found")
    return respond(Candidate(**dict(row)))


async def candidate_aggregates(conn: Executor, org_id: str, candidate_ids: list[str]) -> dict[str, CandidateAggregate]:
    results: dict[str, list[InterviewResult]] = {cid: [] for cid in candidate_ids}
    for row in await completed_results(conn, org_id, candidate_ids):
        results[row["candidate_id"]].append(InterviewResult(row["match"], row["performance"], row["scores"]))
    return {cid: aggregate(rs) for cid, rs in results.items()}


async def score_view(request: web.Request) -> web.Response:
    pool, org_id, candidate_id = request.app[POOL], request[ORG].id, request.match_info["id"]
    if await get_candidate(pool, org_id, candidate_id) is None:
        raise NotFound("Candidate not found")
    agg = (await candidate_aggregates(pool, org_id, [candidate_id]))[candidate_id]
    return respond(
        CandidateScore(
            candidate_id=candidate_id, match=agg.match, scores=agg.scores, interviews_completed=agg.interviews
        )
    )


async def report_view(request: web.Request) -> web.Response:
    """The candidate's report: the assessment of their latest scored interview, and ``compatibility`` = the
    culture fit when both culture profiles exist, else the candidate's match. Until an interview of theirs is
    scored, the assessment fields are empty."""
    pool, org, candidate_id = request.app[POOL], request[ORG], request.match_info["id"]
    candidate = await get_candidate(pool, org.id, candidate_id)
    if candidate is None:
        raise NotFound("Candidate not found")
    agg = (await candidate_aggregates(pool, org.id, [candidate_id]))[candidate_id]
    position = candidate["position"]
    if position is None:
        position = await _latest_vacancy_title(pool, org.id, candidate_id)
    report = await latest_report(pool, org.id, candidate_id)
    compatibility = agg.match
    fit = await culture_fit_of(pool, org.id, candidate_id)
    if fit is not None:
        compatibility = fit.fit_score
    return respond(
        CandidateReport(
            candidate=CandidateName(name=candidate["name"], position=position),
            compatibility=compatibility,
            recommendation=report["recommendation"] if report else None,
            strengths=list(report["strengths"]) if report else [],
            risks=list(report["risks"]) if report else [],
        )
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


async def compare_view(request: web.Request) -> web.Response:
    body, _ = await json_body(request, CompareRequest)
    pool, org_id = request.app[POOL], request[ORG].id
    known = await existing_candidates(pool, org_id, body.candidate_ids)
    unknown = [cid for cid in body.candidate_ids if cid not in known]
    if unknown:
        raise ValidationFailed(
            f"candidate_ids: unknown candidates: {', '.join(unknown)}",
            code="unknown_candidates",
            details=[{"field": "candidate_ids", "message": "unknown", "candidate_ids": unknown}],
        )
    aggregates = await candidate_aggregates(pool, org_id, body.candidate_ids)
    missing = [cid for cid in body.candidate_ids if aggregates[cid].criterion(body.criteria) is None]
    if missing:
        raise ValidationFailed(
            f"candidate_ids: no completed, scored interview for: {', '.join(missing)}",
            code="not_scored",
            details=[{"field": "candidate_ids", "message": "not scored", "candidate_ids": missing}],
        )
    ranking = sorted(
        (
            RankedCandidate(candidate_id=cid, score=aggregates[cid].criterion(body.criteria) or 0.0)
            for cid in body.candidate_ids
        ),
        key=lambda r: (-r.score, body.candidate_ids.index(r.candidate_id)),
    )
    return respond(Comparison(ranking=ranking))
