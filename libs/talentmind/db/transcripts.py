"""Transcripts: the turns of an interview with speaker roles and timestamps."""

from __future__ import annotations

from typing import Any

import asyncpg

from talentmind.db.pool import Connection, Executor


async def store_transcript(
    conn: Connection, interview_id: str, turns: list[dict[str, Any]], *, language: str | None, source: str
) -> None:
    await conn.execute(
        "INSERT INTO transcripts (interview_id, language, turns, source) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (interview_id) DO UPDATE SET language = EXCLUDED.language, turns = EXCLUDED.turns, "
        "source = EXCLUDED.source",
        interview_id,
        language,
        turns,
        source,
    )


async def get_transcript(conn: Executor, org_id: str, interview_id: str) -> asyncpg.Record | None:
    """The transcript of one of ``org_id``'s interviews (the join keeps tenants apart)."""
    return await conn.fetchrow(
        "SELECT t.language, t.turns, t.source FROM transcripts t JOIN interviews i ON i.id = t.interview_id "
        "WHERE i.org_id = $1 AND t.interview_id = $2",
        org_id,
        interview_id,
    )
