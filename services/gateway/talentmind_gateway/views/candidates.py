"""/v1/candidates: the ATS's candidate records, their combined scores, report and comparison."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from talentmind import interview_life
from talentmind.api.models import (
    Candidate,
    CandidateErased,
    CandidateIn,
    CompareRequest,
    Comparison,
)
from talentmind.api.payloads import candidate_aggregates, candidate_report, candidate_score, ranking
from talentmind.db.candidates import existing_candidates, get_candidate, upsert_candidate
from talentmind.runtime import POOL
from talentmind_gateway.errors import NotFound, ValidationFailed
from talentmind_gateway.http import json_body, path_id, respond
from talentmind_gateway.typedefs import ORG, REPORT_LINKS


async def put_view(request: web.Request) -> web.Response:
    body, _ = await json_body(request, CandidateIn)
    row = await upsert_candidate(request.app[POOL], request[ORG].id, path_id(request), body.model_dump())
    return respond(Candidate(**dict(row)))


async def get_view(request: web.Request) -> web.Response:
    row = await get_candidate(request.app[POOL], request[ORG].id, path_id(request))
    if row is None:
        raise NotFound("Candidate not found")
    return respond(Candidate(**dict(row)))


log = logging.getLogger(__name__)


async def delete_view(request: web.Request) -> web.Response:
    """Erase the candidate and everything about them (``interview_life.erase_candidate``); the stored recordings
    are deleted once the erasure has committed. A second call answers 404."""
    org_id, candidate_id = request[ORG].id, path_id(request)
    async with request.app[POOL].acquire() as conn, conn.transaction():
        erased = await interview_life.erase_candidate(conn, org_id, candidate_id)
    if erased is None:
        raise NotFound("Candidate not found")
    files = await asyncio.to_thread(interview_life.erase_media, erased.media_paths)
    log.info("candidate erased", extra={"org_id": org_id, "interviews": erased.interviews, "media_files": files})
    return respond(CandidateErased(interviews_erased=erased.interviews, media_files_erased=len(erased.media_paths)))


async def score_view(request: web.Request) -> web.Response:
    pool, org_id, candidate_id = request.app[POOL], request[ORG].id, path_id(request)
    if await get_candidate(pool, org_id, candidate_id) is None:
        raise NotFound("Candidate not found")
    return respond(await candidate_score(pool, org_id, candidate_id))


async def report_view(request: web.Request) -> web.Response:
    report = await candidate_report(request.app[POOL], request[ORG].id, path_id(request))
    if report is None:
        raise NotFound("Candidate not found")
    return respond(report)


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
    return respond(
        Comparison(
            ranking=ranking(aggregates, body.candidate_ids, body.criteria),
            report_url=request.app[REPORT_LINKS].comparison(org_id, body.candidate_ids, body.criteria),
        )
    )
