"""/v1/culture: the company's culture profile (54 OCP items in 7 dimensions) and a candidate's fit with it."""

from __future__ import annotations

from aiohttp import web

from talentmind import culture
from talentmind.api.models import CultureFit, CultureFitRequest, CultureProfile, CultureProfileIn
from talentmind.db.culture_profiles import (
    get_candidate_preferences,
    get_profile,
    put_candidate_preferences,
    put_profile,
)
from talentmind.runtime import POOL
from talentmind_gateway.errors import Conflict, NotFound, ValidationFailed
from talentmind_gateway.http import json_body, path_id, respond
from talentmind_gateway.typedefs import ORG


def _validated_items(body: CultureProfileIn) -> dict[str, float]:
    try:
        return culture.validate_profile(body.items)
    except culture.CultureProfileError as exc:
        raise ValidationFailed(f"items: {exc}", details=[{"field": "items", "message": str(exc)}]) from None


def _profile_response(items: dict[str, float]) -> CultureProfile:
    return CultureProfile(parameters_count=len(items), dimensions=culture.dimension_scores(items))


async def get_profile_view(request: web.Request) -> web.Response:
    items = await get_profile(request.app[POOL], request[ORG].id)
    if items is None:
        raise NotFound(
            "No culture profile yet: PUT /v1/culture/profile with the 54 OCP items", code="culture_profile_not_found"
        )
    return respond(_profile_response(items))


async def put_profile_view(request: web.Request) -> web.Response:
    body, _ = await json_body(request, CultureProfileIn)
    items = _validated_items(body)
    await put_profile(request.app[POOL], request[ORG].id, items)
    return respond(_profile_response(items))


async def put_candidate_preferences_view(request: web.Request) -> web.Response:
    body, _ = await json_body(request, CultureProfileIn)
    items = _validated_items(body)
    if not await put_candidate_preferences(request.app[POOL], request[ORG].id, path_id(request), items):
        raise NotFound("Candidate not found")
    return respond(_profile_response(items))


async def fit_view(request: web.Request) -> web.Response:
    body, _ = await json_body(request, CultureFitRequest)
    pool, org = request.app[POOL], request[ORG]
    exists, person = await get_candidate_preferences(pool, org.id, body.candidate_id)
    if not exists:
        raise NotFound("Candidate not found")
    company = await get_profile(pool, org.id)
    if company is None:
        raise Conflict("No culture profile yet: PUT /v1/culture/profile first", code="culture_profile_not_found")
    if person is None:
        raise Conflict(
            "No culture preferences for this candidate yet: PUT /v1/candidates/{id}/culture-preferences",
            code="candidate_culture_unknown",
        )
    fit = culture.person_organization_fit(company, person)
    return respond(
        CultureFit(
            fit_score=fit.fit_score,
            matches=culture.describe(fit.matches, org.language),
            attention=culture.describe(fit.attention, org.language),
        )
    )
