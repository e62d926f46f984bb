"""/v1/vacancies: title, language, competency weights and salary range of a vacancy."""

from __future__ import annotations

from aiohttp import web

from talentmind.api.models import Vacancy, VacancyIn
from talentmind.db.candidates import get_vacancy, upsert_vacancy
from talentmind.runtime import POOL
from talentmind_gateway.errors import NotFound
from talentmind_gateway.http import json_body, path_id, respond
from talentmind_gateway.typedefs import ORG


async def put_view(request: web.Request) -> web.Response:
    body, _ = await json_body(request, VacancyIn)
    row = await upsert_vacancy(request.app[POOL], request[ORG].id, path_id(request), body.model_dump())
    return respond(Vacancy(**dict(row)))


async def get_view(request: web.Request) -> web.Response:
    row = await get_vacancy(request.app[POOL], request[ORG].id, path_id(request))
    if row is None:
        raise NotFound("Vacancy not found")
    return respond(Vacancy(**dict(row)))
