"""Candidates and vacancies: records the ATS owns, identified by the ATS's own ids within an organisation."""

from __future__ import annotations

from typing import Any

import asyncpg

from talentmind.db.pool import Connection, Executor

_CANDIDATE_COLUMNS = "id, name, position, language, metadata, created_at, updated_at"
_VACANCY_COLUMNS = (
    "id, title, language, competency_weights, salary_min::float8 AS salary_min, salary_max::float8 AS salary_max, "
    "salary_currency, created_at, updated_at"
)


async def ensure_candidate(conn: Connection, org_id: str, candidate_id: str) -> None:
    """Make the candidate known (an interview may name a candidate before the ATS described it)."""
    await conn.execute(
        "INSERT INTO candidates (org_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING", org_id, candidate_id
    )


async def ensure_vacancy(conn: Connection, org_id: str, vacancy_id: str) -> None:
    await conn.execute("INSERT INTO vacancies (org_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING", org_id, vacancy_id)


async def upsert_candidate(conn: Executor, org_id: str, candidate_id: str, fields: dict[str, Any]) -> asyncpg.Record:
    row = await conn.fetchrow(
        f"INSERT INTO candidates (org_id, id, name, position, language, metadata) VALUES ($1, $2, $3, $4, $5, $6) "
        f"ON CONFLICT (org_id, id) DO UPDATE SET name = EXCLUDED.name, position = EXCLUDED.position, "
        f"language = EXCLUDED.language, metadata = EXCLUDED.metadata, updated_at = now() "
        f"RETURNING {_CANDIDATE_COLUMNS}",
        org_id,
        candidate_id,
        fields.get("name"),
        fields.get("position"),
        fields.get("language"),
        fields.get("metadata") or {},
    )
    assert row is not None
    return row


async def get_candidate(conn: Executor, org_id: str, candidate_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {_CANDIDATE_COLUMNS} FROM candidates WHERE org_id = $1 AND id = $2", org_id, candidate_id
    )


async def existing_candidates(conn: Executor, org_id: str, candidate_ids: list[str]) -> set[str]:
    rows = await conn.fetch(
        "SELECT id FROM candidates WHERE org_id = $1 AND id = ANY($2::text[])", org_id, candidate_ids
    )
    return {r["id"] for r in rows}


async def upsert_vacancy(conn: Executor, org_id: str, vacancy_id: str, fields: dict[str, Any]) -> asyncpg.Record:
    row = await conn.fetchrow(
        f"INSERT INTO vacancies (org_id, id, title, language, competency_weights, salary_min, salary_max, "
        f"salary_currency) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        f"ON CONFLICT (org_id, id) DO UPDATE SET title = EXCLUDED.title, language = EXCLUDED.language, "
        f"competency_weights = EXCLUDED.competency_weights, salary_min = EXCLUDED.salary_min, "
        f"salary_max = EXCLUDED.salary_max, salary_currency = EXCLUDED.salary_currency, updated_at = now() "
        f"RETURNING {_VACANCY_COLUMNS}",
        org_id,
        vacancy_id,
        fields.get("title"),
        fields.get("language"),
        fields.get("competency_weights"),
        fields.get("salary_min"),
        fields.get("salary_max"),
        fields.get("salary_currency"),
    )
    assert row is not None
    return row


async def get_vacancy(conn: Executor, org_id: str, vacancy_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {_VACANCY_COLUMNS} FROM vacancies WHERE org_id = $1 AND id = $2", org_id, vacancy_id
    )
