"""/v1/culture: the catalogue of 54 items, the company's profile (set outright or from employees' surveys), a
candidate's own profile, and the candidate's fit with the company. The rules are in ``talentmind.culture``, the
use cases in ``talentmind.company_culture``."""

from __future__ import annotations

from aiohttp import web

from talentmind import company_culture, culture
from talentmind.api.models import (
    CandidateCultureProfile,
    CultureAgreement,
    CultureDimensionFit,
    CultureDimensionOut,
    CultureFit,
    CultureFitRequest,
    CultureItemList,
    CultureItemOut,
    CultureItemStats,
    CultureProfile,
    CultureProfileIn,
    CultureQuoteOut,
    CultureSurveyCreated,
    CultureSurveyIn,
    LocalizedText,
)
from talentmind.db.culture_profiles import StoredCompanyProfile, put_candidate_preferences
from talentmind.runtime import POOL
from talentmind_gateway.errors import Conflict, NotFound, ValidationFailed
from talentmind_gateway.http import json_body, path_id, respond
from talentmind_gateway.typedefs import ORG
from talentmind_gateway.writes import write

CATALOGUE = CultureItemList(
    items=[
        CultureItemOut(id=i.id, dimension=i.dimension, text=LocalizedText(ru=i.text_ru, en=i.text_en))
        for i in culture.ITEMS
    ],
    dimensions=[
        CultureDimensionOut(id=d.id, name=LocalizedText(ru=d.phrase_ru, en=d.phrase_en)) for d in culture.DIMENSION_INFO
    ],
    qsort_distribution=list(culture.FORCED_DISTRIBUTION),
)


def parsed_profile(body: CultureProfileIn) -> culture.Profile:
    try:
        return culture.parse_profile(body.items, mode=body.mode, scale=body.scale)
    except culture.ProfileError as exc:
        raise ValidationFailed(str(exc), details=exc.problems) from None


def profile_response(stored: StoredCompanyProfile, language: str) -> CultureProfile:
    agreement = None
    if stored.agreement is not None:
        found = culture.Agreement(**stored.agreement)
        agreement = CultureAgreement(
            level=found.level,
            shared_culture=found.shared_culture,
            mean_r=found.mean_r,
            reliability=found.reliability,
            compared=found.compared,
            summary=found.summary(language),
        )
    spread = stored.spread or {}
    return CultureProfile(
        parameters_count=len(stored.ratings),
        dimensions=culture.dimension_scores(stored.ratings),
        source=stored.source,
        mode=stored.mode,
        respondents=stored.respondents,
        items={
            i: CultureItemStats(mean=stored.ratings[i], spread=spread.get(i) if stored.respondents > 1 else None)
            for i in culture.ITEM_IDS
        },
        agreement=agreement,
    )


async def items_view(request: web.Request) -> web.Response:
    return respond(CATALOGUE)


async def get_profile_view(request: web.Request) -> web.Response:
    stored = await company_culture.company_profile(request.app[POOL], request[ORG].id)
    if stored is None:
        raise NotFound(
            "No culture profile yet: PUT /v1/culture/profile, or POST /v1/culture/surveys with employees' answers",
            code="culture_profile_not_found",
        )
    return respond(profile_response(stored, request[ORG].language))


async def put_profile_view(request: web.Request) -> web.Response:
    body, _ = await json_body(request, CultureProfileIn)
    profile = parsed_profile(body)
    stored = await company_culture.set_company_profile(request.app[POOL], request[ORG].id, profile)
    return respond(profile_response(stored, request[ORG].language))


async def create_survey_view(request: web.Request) -> web.Response:
    body, fingerprint = await json_body(request, CultureSurveyIn)
    profile = parsed_profile(body)
    org = request[ORG]
    async with write(request, fingerprint) as tx:
        if tx.replay is not None:
            return tx.replay
        survey_id, replaced, stored = await company_culture.add_survey(tx.conn, org.id, body.respondent, profile)
        answer = CultureSurveyCreated(
            survey_id=survey_id,
            respondent=body.respondent,
            replaced=replaced,
            profile=profile_response(stored, org.language),
        )
        return await tx.respond(answer)


async def put_candidate_preferences_view(request: web.Request) -> web.Response:
    body, _ = await json_body(request, CultureProfileIn)
    profile = parsed_profile(body)
    if not await put_candidate_preferences(request.app[POOL], request[ORG].id, path_id(request), profile):
        raise NotFound("Candidate not found")
    return respond(
        CandidateCultureProfile(
            parameters_count=len(profile.ratings),
            dimensions=culture.dimension_scores(profile.ratings),
            mode=profile.mode,
        )
    )


async def fit_view(request: web.Request) -> web.Response:
    body, _ = await json_body(request, CultureFitRequest)
    org = request[ORG]
    try:
        outcome = await company_culture.culture_fit(request.app[POOL], org.id, body.candidate_id)
    except company_culture.CandidateNotFound as exc:
        raise NotFound(str(exc)) from None
    except company_culture.CultureUnavailable as exc:
        raise Conflict(str(exc), code=exc.code) from None
    fit, candidate = outcome.fit, outcome.candidate
    return respond(
        CultureFit(
            fit_score=fit.fit_score,
            matches=culture.describe(fit.matches, org.language),
            attention=culture.describe(fit.attention, org.language),
            correlation=fit.correlation,
            source=candidate.source,
            confidence=candidate.confidence,
            dimensions={
                d: CultureDimensionFit(company=fit.company[d], candidate=fit.person[d], difference=fit.differences[d])
                for d in culture.DIMENSIONS
            },
            evidence={
                d: [CultureQuoteOut(text=q.text, item=q.item, interview_id=q.interview_id) for q in quotes]
                for d, quotes in candidate.quotes.items()
            },
            interviews_used=candidate.interviews,
        )
    )
