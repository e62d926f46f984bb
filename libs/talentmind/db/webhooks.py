"""Webhook subscriptions of an organisation."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from talentmind.db.pool import Executor


async def create_webhook(
    conn: Executor, *, webhook_id: str, org_id: str, url: str, events: Sequence[str], secret: str
) -> asyncpg.Record:
    row = await conn.fetchrow(
        "INSERT INTO webhooks (id, org_id, url, events, secret) VALUES ($1, $2, $3, $4, $5) "
        "RETURNING id, url, events, created_at",
        webhook_id,
        org_id,
        url,
        list(events),
        secret,
    )
    assert row is not None
    return row


async def list_webhooks(conn: Executor, org_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT id, url, events, created_at FROM webhooks WHERE org_id = $1 AND deleted_at IS NULL "
        "ORDER BY created_at, id",
        org_id,
    )


async def delete_webhook(conn: Executor, org_id: str, webhook_id: str) -> bool:
    """Soft-delete, so the delivery log keeps its subscription; True when a live subscription was deleted."""
    result = await conn.execute(
        "UPDATE webhooks SET deleted_at = now() WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL",
        org_id,
        webhook_id,
    )
    return str(result).endswith(" 1")
