"""Interviews in PostgreSQL. Every read takes the organisation id, so no query can cross tenants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from talentmind.db.pool import Connection, Executor

INTERVIEW_STATUSES = ("processing", "completed", "failed")

_COLUMNS = (
    "id, org_id, candidate_id, vacancy_id, source, media_url, status, error_code, error_message, language, "
    "match, performance, scores, evidence, media_path, media_content_type, created_at, updated_at, completed_at"
)


@dataclass(frozen=True)
class Interview:
    id: str
    org_id: str
    candidate_id: str
    vacancy_id: str
    source: str
    media_url: str | None
    status: str
    error_code: str | None
    error_message: str | None
    language: str | None
    match: float | None
    performance: float | None
    scores: dict[str, float] | None
    evidence: Any
    media_path: str | None
    media_content_type: str | None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> Interview:
        return cls(**dict(row))


async def insert_interview(
    conn: Connection,
    *,
    interview_id: str,
    org_id: str,
    candidate_id: str,
    vacancy_id: str,
    source: str,
    media_url: str | None = None,
    media_path: str | None = None,
    media_content_type: str | None = None,
    language: str | None = None,
) -> Interview:
    row = await conn.fetchrow(
        f"INSERT INTO interviews (id, org_id, candidate_id, vacancy_id, source, media_url, media_path, "
        f"media_content_type, language) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {_COLUMNS}",
        interview_id,
        org_id,
        candidate_id,
        vacancy_id,
        source,
        media_url,
        media_path,
        media_content_type,
        language,
    )
    assert row is not None
    return Interview.from_row(row)


async def get_interview(conn: Executor, org_id: str, interview_id: str) -> Interview | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM interviews WHERE org_id = $1 AND id = $2", org_id, interview_id)
    return Interview.from_row(row) if row else None


async def list_interviews(
    conn: Executor, org_id: str, *, status: str | None, limit: int, offset: int
) -> tuple[int, list[Interview]]:
    """One page, newest first (ties broken by id so pages never overlap), and the total for the filter."""
    where = "org_id = $1" + (" AND status = $2" if status else "")
    args: list[Any] = [org_id] + ([status] if status else [])
    total = await conn.fetchval(f"SELECT count(*) FROM interviews WHERE {where}", *args)
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM interviews WHERE {where} ORDER BY created_at DESC, id DESC "
        f"LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}",
        *args,
        limit,
        offset,
    )
    return int(total), [Interview.from_row(r) for r in rows]


async def mark_failed(conn: Connection, interview_id: str, error_code: str, message: str) -> bool:
    """Move a processing interview to ``failed``; False when it was not processing (already final)."""
    result = await conn.execute(
        "UPDATE interviews SET status = 'failed', error_code = $2, error_message = $3, updated_at = now() "
        "WHERE id = $1 AND status = 'processing'",
        interview_id,
        error_code,
        message,
    )
    return result.endswith(" 1")


async def completed_results(conn: Executor, org_id: str, candidate_ids: list[str]) -> list[asyncpg.Record]:
    """match, performance and scores of the completed interviews of these candidates, oldest first."""
    return await conn.fetch(
        "SELECT candidate_id, match, performance, scores FROM interviews "
        "WHERE org_id = $1 AND candidate_id = ANY($2::text[]) AND status = 'completed' ORDER BY completed_at, id",
        org_id,
        candidate_ids,
    )
