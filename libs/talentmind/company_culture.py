"""Culture use cases: set the company profile, add an employee's survey answers, find a candidate's profile, fit.

The gateway's views and the candidate report call these; the rules live in ``talentmind.culture`` (pure) and the
SQL in ``talentmind.db.culture_profiles``. A candidate's profile comes from one of two sources, the first there is:

1. their own answers (``PUT /v1/candidates/{id}/culture-preferences``, Q-sort or rating): what the validated
   method uses, confidence 1;
2. inferred from what they said in their scored interviews (``culture.inference``): confidence at most 0.5, with
   the quotes behind each dimension.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from talentmind.culture import (
    CultureQuote,
    CultureSignals,
    FitResult,
    Profile,
    aggregate,
    infer_profile,
    person_organization_fit,
)
from talentmind.culture.inference import MIN_SENTENCES
from talentmind.db import culture_profiles as store
from talentmind.db.pool import Connection, Executor, Pool
from talentmind.ids import new_id


class CultureUnavailable(Exception):
    """A fit that cannot be computed; ``code`` says why (the API's 404/409 codes)."""

    code = "culture_unavailable"


class CandidateNotFound(CultureUnavailable):
    code = "not_found"


class CompanyProfileMissing(CultureUnavailable):
    code = "culture_profile_not_found"


class CandidateCultureUnknown(CultureUnavailable):
    code = "candidate_culture_unknown"


@dataclass(frozen=True)
class CandidateCulture:
    ratings: dict[str, float]
    source: str  # "qsort" | "rating" | "interviews"
    confidence: float
    interviews: int = 0
    sentences: int = 0
    quotes: dict[str, list[CultureQuote]] = field(default_factory=dict)


@dataclass(frozen=True)
class CultureFitOutcome:
    fit: FitResult
    candidate: CandidateCulture
    company: store.StoredCompanyProfile


async def set_company_profile(pool: Pool, org_id: str, profile: Profile) -> store.StoredCompanyProfile:
    async with pool.acquire() as conn, conn.transaction():
        await store.lock_surveys(conn, org_id)
        await store.put_direct_profile(conn, org_id, profile)
        stored = await store.get_company_profile(conn, org_id)
    assert stored is not None
    return stored


async def add_survey(
    conn: Connection, org_id: str, respondent: str | None, profile: Profile
) -> tuple[str, bool, store.StoredCompanyProfile]:
    """Store one employee's answers and recompute the company profile from all answers so far, in the caller's
    transaction: (survey id, whether it replaced the respondent's earlier answers, the new company profile)."""
    await store.lock_surveys(conn, org_id)
    survey_id, replaced = await store.put_survey(conn, org_id, new_id("srv", 6), respondent, profile)
    await store.put_aggregate(conn, org_id, aggregate(await store.survey_profiles(conn, org_id)))
    stored = await store.get_company_profile(conn, org_id)
    assert stored is not None
    return survey_id, replaced, stored


async def company_profile(conn: Executor, org_id: str) -> store.StoredCompanyProfile | None:
    return await store.get_company_profile(conn, org_id)


async def candidate_culture(conn: Executor, org_id: str, candidate_id: str) -> CandidateCulture:
    """The candidate's profile from the best source there is, or :class:`CandidateNotFound` /
    :class:`CandidateCultureUnknown` (with a message that says what is missing)."""
    exists, own = await store.get_candidate_preferences(conn, org_id, candidate_id)
    if not exists:
        raise CandidateNotFound("Candidate not found")
    return await _candidate_culture(conn, org_id, candidate_id, own)


async def _candidate_culture(conn: Executor, org_id: str, candidate_id: str, own: Profile | None) -> CandidateCulture:
    if own is not None:
        return CandidateCulture(own.ratings, own.mode, 1.0)
    rows = await store.candidate_culture_signals(conn, org_id, candidate_id)
    inferred = infer_profile([CultureSignals.from_json(data, interview_id) for interview_id, data in rows])
    if inferred is None:
        counts = await store.count_candidate_interviews(conn, org_id, candidate_id)
        if not counts:
            why = "no interviews yet"
        elif rows:
            why = f"their scored interviews hold fewer than {MIN_SENTENCES} sentences of theirs"
        elif counts.get("processing"):
            why = "their interviews are still being processed"
        else:
            why = "no scored interview of theirs to infer from"
        raise CandidateCultureUnknown(
            "No culture profile for this candidate: PUT /v1/candidates/{id}/culture-preferences with their Q-sort, "
            f"or interview them ({why})"
        )
    return CandidateCulture(
        inferred.ratings,
        "interviews",
        inferred.confidence,
        interviews=inferred.interviews,
        sentences=inferred.sentences,
        quotes=inferred.quotes,
    )


async def culture_fit(conn: Executor, org_id: str, candidate_id: str) -> CultureFitOutcome:
    """The candidate's fit with the company, or a :class:`CultureUnavailable` saying why not. An unknown
    candidate comes first (404), then a missing company profile, then a candidate with nothing to go on."""
    exists, own = await store.get_candidate_preferences(conn, org_id, candidate_id)
    if not exists:
        raise CandidateNotFound("Candidate not found")
    company = await store.get_company_profile(conn, org_id)
    if company is None:
        raise CompanyProfileMissing(
            "No culture profile for the company yet: PUT /v1/culture/profile or POST /v1/culture/surveys first"
        )
    candidate = await _candidate_culture(conn, org_id, candidate_id, own)
    return CultureFitOutcome(person_organization_fit(company.ratings, candidate.ratings), candidate, company)
