"""The organisation's culture profile: its ratings of the 54 OCP items."""

from __future__ import annotations

from talentmind.db.pool import Executor


async def put_profile(conn: Executor, org_id: str, items: dict[str, float]) -> None:
    await conn.execute(
        "INSERT INTO culture_profiles (org_id, items) VALUES ($1, $2) "
        "ON CONFLICT (org_id) DO UPDATE SET items = EXCLUDED.items, updated_at = now()",
        org_id,
        items,
    )


async def get_profile(conn: Executor, org_id: str) -> dict[str, float] | None:
    items = await conn.fetchval("SELECT items FROM culture_profiles WHERE org_id = $1", org_id)
    return dict(items) if items is not None else None


async def put_candidate_preferences(conn: Executor, org_id: str, candidate_id: str, items: dict[str, float]) -> bool:
    """Store a candidate's OCP preference ratings; False when the candidate is unknown."""
    result = await conn.execute(
        "UPDATE candidates SET culture_items = $3, updated_at = now() WHERE org_id = $1 AND id = $2",
        org_id,
        candidate_id,
        items,
    )
    return str(result).endswith(" 1")


async def get_candidate_preferences(
    conn: Executor, org_id: str, candidate_id: str
) -> tuple[bool, dict[str, float] | None]:
    """(whether the candidate exists, their preference ratings or None)."""
    row = await conn.fetchrow(
        "SELECT culture_items FROM candidates WHERE org_id = $1 AND id = $2", org_id, candidate_id
    )
    if row is None:
        return False, None
    return True, (dict(row["culture_items"]) if row["culture_items"] is not None else None)
