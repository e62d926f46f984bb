"""/v1/interviews: list and read interviews of the caller's organisation."""

from __future__ import annotations

from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field
from talentmind.db.interviews import Interview, get_interview, list_interviews
from talentmind.runtime import POOL

from talentmind_gateway.errors import NotFound
from talentmind_gateway.typedefs import ORG
from talentmind_gateway.validation import parse_query


class ListInterviewsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["processing", "completed", "failed"] | None = None
    limit: int = Field(20, ge=1, le=100, strict=False)
    offset: int = Field(0, ge=0, strict=False)


def interview_summary(interview: Interview) -> dict[str, Any]:
    return {"id": interview.id, "status": interview.status, "match": interview.match}


async def list_view(request: web.Request) -> web.Response:
    query = parse_query(ListInterviewsQuery, request.query)
    total, items = await list_interviews(
        request.app[POOL], request[ORG].id, status=query.status, limit=query.limit, offset=query.offset
    )
    return web.json_response({"success": True, "total": total, "items": [interview_summary(i) for i in items]})


async def get_view(request: web.Request) -> web.Response:
    interview = await get_interview(request.app[POOL], request[ORG].id, request.match_info["id"])
    if interview is None:
        raise NotFound("Interview not found")
    body: dict[str, Any] = {
        "success": True,
        "id": interview.id,
        "status": interview.status,
        "match": interview.match,
        "scores": interview.scores,
    }
    return web.json_response(body)
