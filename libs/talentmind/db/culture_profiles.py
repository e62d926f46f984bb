"""Culture in PostgreSQL: the company profile, employees' survey answers, a candidate's own profile, and the
culture signals the scorer leaves per interview. Every profile is stored on the 1..9 scale, whatever its mode."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from talentmind.culture import CompanyProfile, Profile
from talentmind.db.pool import Connection, Executor


@dataclass(frozen=True)
class StoredCompanyProfile:
    ratings: dict[str, float]
    source: str  # "direct" | "surveys"
    mode: str | None
    respondents: int
    spread: dict[str, float] | None
    agreement: dict[str, Any] | None
    updated_at: datetime


async def put_direct_profile(conn: Connection, org_id: str, profile: Profile) -> None:
    """Set the company profile outright; survey answers collected so far are dropped (the caller's transaction)."""
    await conn.execute("DELETE FROM culture_surveys WHERE org_id = $1", org_id)
    await conn.execute(
        "INSERT INTO culture_profiles (org_id, items, source, mode, respondents, spread, agreement) "
        "VALUES ($1, $2, 'direct', $3, 1, NULL, NULL) "
        "ON CONFLICT (org_id) DO UPDATE SET items = EXCLUDED.items, source = 'direct', mode = EXCLUDED.mode, "
        "respondents = 1, spread = NULL, agreement = NULL, updated_at = now()",
        org_id,
        profile.ratings,
        profile.mode,
    )


async def get_company_profile(conn: Executor, org_id: str) -> StoredCompanyProfile | None:
    row = await conn.fetchrow(
        "SELECT items, source, mode, respondents, spread, agreement, updated_at FROM culture_profiles "
        "WHERE org_id = $1",
        org_id,
    )
    if row is None:
        return None
    return StoredCompanyProfile(
        ratings=dict(row["items"]),
        source=row["source"],
        mode=row["mode"],
        respondents=row["respondents"],
        spread=dict(row["spread"]) if row["spread"] is not None else None,
        agreement=dict(row["agreement"]) if row["agreement"] is not None else None,
        updated_at=row["updated_at"],
    )


async def lock_surveys(conn: Connection, org_id: str) -> None:
    """Serialise the organisation's survey writes for this transaction, so each aggregate sees every answer."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext('culture_surveys:' || $1))", org_id)


async def put_survey(
    conn: Connection, org_id: str, survey_id: str, respondent: str | None, profile: Profile
) -> tuple[str, bool]:
    """Store one employee's answers: (the survey id, whether it replaced that respondent's earlier answers)."""
    if respondent is not None:
        row = await conn.fetchrow(
            "UPDATE culture_surveys SET mode = $3, items = $4, updated_at = now() "
            "WHERE org_id = $1 AND respondent = $2 RETURNING id",
            org_id,
            respondent,
            profile.mode,
            profile.ratings,
        )
        if row is not None:
            return str(row["id"]), True
    await conn.execute(
        "INSERT INTO culture_surveys (id, org_id, respondent, mode, items) VALUES ($1, $2, $3, $4, $5)",
        survey_id,
        org_id,
        respondent,
        profile.mode,
        profile.ratings,
    )
    return survey_id, False


async def survey_profiles(conn: Executor, org_id: str) -> list[dict[str, float]]:
    rows = await conn.fetch("SELECT items FROM culture_surveys WHERE org_id = $1 ORDER BY created_at, id", org_id)
    return [dict(r["items"]) for r in rows]


async def put_aggregate(conn: Connection, org_id: str, company: CompanyProfile) -> None:
    agreement = company.agreement
    await conn.execute(
        "INSERT INTO culture_profiles (org_id, items, source, mode, respondents, spread, agreement) "
        "VALUES ($1, $2, 'surveys', NULL, $3, $4, $5) "
        "ON CONFLICT (org_id) DO UPDATE SET items = EXCLUDED.items, source = 'surveys', mode = NULL, "
        "respondents = EXCLUDED.respondents, spread = EXCLUDED.spread, agreement = EXCLUDED.agreement, "
        "updated_at = now()",
        org_id,
        company.ratings,
        company.respondents,
        company.spread,
        {
            "compared": agreement.compared,
            "mean_r": agreement.mean_r,
            "reliability": agreement.reliability,
            "level": agreement.level,
        },
    )


async def put_candidate_preferences(conn: Executor, org_id: str, candidate_id: str, profile: Profile) -> bool:
    """Store a candidate's own profile; False when the candidate is unknown."""
    result = await conn.execute(
        "UPDATE candidates SET culture_items = $3, culture_mode = $4, updated_at = now() WHERE org_id = $1 AND id = $2",
        org_id,
        candidate_id,
        profile.ratings,
        profile.mode,
    )
    return str(result).endswith(" 1")


async def get_candidate_preferences(conn: Executor, org_id: str, candidate_id: str) -> tuple[bool, Profile | None]:
    """(whether the candidate exists, their own profile or None)."""
    row = await conn.fetchrow(
        "SELECT culture_items, culture_mode FROM candidates WHERE org_id = $1 AND id = $2", org_id, candidate_id
    )
    if row is None:
        return False, None
    if row["culture_items"] is None:
        return True, None
    return True, Profile(dict(row["culture_items"]), row["culture_mode"] or "rating")


async def candidate_culture_signals(conn: Executor, org_id: str, candidate_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(interview id, culture signals) of the candidate's scored interviews, oldest first."""
    rows = await conn.fetch(
        "SELECT id, culture_signals FROM interviews WHERE org_id = $1 AND candidate_id = $2 "
        "AND status = 'completed' AND culture_signals IS NOT NULL ORDER BY created_at, id",
        org_id,
        candidate_id,
    )
    return [(r["id"], dict(r["culture_signals"])) for r in rows]


async def count_candidate_interviews(conn: Executor, org_id: str, candidate_id: str) -> dict[str, int]:
    """The candidate's interviews by status (to say why nothing could be inferred)."""
    rows = await conn.fetch(
        "SELECT status, count(*) AS n FROM interviews WHERE org_id = $1 AND candidate_id = $2 GROUP BY status",
        org_id,
        candidate_id,
    )
    return {r["status"]: int(r["n"]) for r in rows}
