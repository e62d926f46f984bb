"""The scorer's reports (one per scored interview) and what the API reads of them."""

from __future__ import annotations

from typing import Any

import asyncpg

from talentmind.db.pool import Connection, Executor


async def store_report(
    conn: Connection,
    *,
    interview_id: str,
    org_id: str,
    candidate_id: str,
    language: str,
    recommendation: str,
    strengths: list[str],
    risks: list[str],
    red_flags: list[dict[str, Any]],
    confidence: dict[str, float],
) -> None:
    await conn.execute(
        "INSERT INTO reports (interview_id, org_id, candidate_id, language, recommendation, strengths, risks, "
        "red_flags, confidence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        "ON CONFLICT (interview_id) DO UPDATE SET language = EXCLUDED.language, "
        "recommendation = EXCLUDED.recommendation, strengths = EXCLUDED.strengths, risks = EXCLUDED.risks, "
        "red_flags = EXCLUDED.red_flags, confidence = EXCLUDED.confidence, created_at = now()",
        interview_id, org_id, candidate_id, language, recommendation, strengths, risks, red_flags, confidence,
    )  # fmt: skip


async def latest_report(conn: Executor, org_id: str, candidate_id: str) -> asyncpg.Record | None:
    """The report of the candidate's most recently completed interview."""
    return await conn.fetchrow(
        "SELECT r.* FROM reports r JOIN interviews i ON i.id = r.interview_id "
        "WHERE r.org_id = $1 AND r.candidate_id = $2 AND i.status = 'completed' "
        "ORDER BY i.completed_at DESC, r.created_at DESC LIMIT 1",
        org_id,
        candidate_id,
    )


async def report_of(conn: Executor, org_id: str, interview_id: str) -> asyncpg.Record | None:
    """The report of one of ``org_id``'s interviews."""
    return await conn.fetchrow("SELECT * FROM reports WHERE org_id = $1 AND interview_id = $2", org_id, interview_id)
