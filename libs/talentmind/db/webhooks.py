"""Webhook subscriptions of an organisation, and what the API shows of their delivery log.

Every query is scoped by organisation: an id of another organisation finds nothing, exactly like an unknown id.
A subscription is live until soft-deleted (``deleted_at``); a live one is active unless ``disabled_at`` is set.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from uuid import UUID

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


# What the API shows of a subscription (never its secrets).
_PUBLIC_COLUMNS = "id, url, events, created_at, disabled_at, disabled_reason"


async def list_webhooks(conn: Executor, org_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {_PUBLIC_COLUMNS} FROM webhooks WHERE org_id = $1 AND deleted_at IS NULL ORDER BY created_at, id",
        org_id,
    )


async def get_webhook(conn: Executor, org_id: str, webhook_id: str) -> asyncpg.Record | None:
    """A live (not deleted) subscription of the organisation, or None."""
    return await conn.fetchrow(
        f"SELECT {_PUBLIC_COLUMNS} FROM webhooks WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL",
        org_id,
        webhook_id,
    )


async def delete_webhook(conn: Executor, org_id: str, webhook_id: str) -> bool:
    """Soft-delete, so the delivery log keeps its subscription; True when a live subscription was deleted."""
    result = await conn.execute(
        "UPDATE webhooks SET deleted_at = now() WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL",
        org_id,
        webhook_id,
    )
    return str(result).endswith(" 1")


# The channel dispatchers LISTEN on to pick up new work at once rather than at their next poll
# (talentmind_dispatcher.fanout.NOTIFY_CHANNEL). Notifications go out when the transaction commits.
DELIVERIES_CHANNEL = "talentmind_deliveries"
# Selected from the rows a statement queued: their ids, and one notification (repeats are folded into one).
_NOTIFY_DISPATCHERS = f"SELECT id, pg_notify('{DELIVERIES_CHANNEL}', '')"


async def rotate_secret(conn: Executor, org_id: str, webhook_id: str, secret: str, *, overlap: timedelta) -> bool:
    """Make ``secret`` the signing secret; the current one becomes ``previous_secret`` and keeps signing for
    ``overlap``. A second rotation within that time retires the oldest secret. False for no live subscription."""
    result = await conn.execute(
        "UPDATE webhooks SET previous_secret = secret, previous_secret_expires_at = now() + $4::interval, "
        "secret = $3 WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL",
        org_id,
        webhook_id,
        secret,
        overlap,
    )
    return str(result).endswith(" 1")


async def insert_delivery(
    conn: Executor,
    *,
    org_id: str,
    webhook_id: str,
    delivery_id: str,
    event_type: str,
    event_id: UUID,
    payload: dict[str, Any],
) -> bool:
    """Queue a message for one live, active subscription: pending and due now. The payload's ``created_at`` is set
    to the delivery's creation time (UTC, whole seconds). False, and nothing queued, when the subscription is
    unknown, deleted or disabled."""
    queued = await conn.fetchrow(
        "WITH queued AS (INSERT INTO webhook_deliveries (id, webhook_id, org_id, event_type, event_id, payload) "
        "SELECT $3, w.id, w.org_id, $4, $5::uuid, $6::jsonb || jsonb_build_object('created_at', "
        """to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) """
        "FROM webhooks w WHERE w.org_id = $1 AND w.id = $2 AND w.deleted_at IS NULL AND w.disabled_at IS NULL "
        f"RETURNING id) {_NOTIFY_DISPATCHERS} FROM queued",
        org_id,
        webhook_id,
        delivery_id,
        event_type,
        event_id,
        payload,
    )
    return queued is not None


_DELIVERY_COLUMNS = (
    "d.id, d.event_type, d.status, d.attempts, d.created_at, "
    "CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS next_attempt_at, d.last_status_code"
)


async def list_deliveries(
    conn: Executor, org_id: str, webhook_id: str, *, status: str | None, limit: int, offset: int
) -> tuple[int, list[asyncpg.Record], dict[str, list[asyncpg.Record]]]:
    """One page of a subscription's deliveries, newest first (ties broken by id so pages never overlap), the total
    for the filter, and the attempts of the page's deliveries by delivery id, oldest first."""
    where = "d.org_id = $1 AND d.webhook_id = $2" + (" AND d.status = $3" if status else "")
    args: list[Any] = [org_id, webhook_id] + ([status] if status else [])
    total = await conn.fetchval(f"SELECT count(*) FROM webhook_deliveries d WHERE {where}", *args)
    rows = await conn.fetch(
        f"SELECT {_DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE {where} ORDER BY d.created_at DESC, d.id DESC "
        f"LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}",
        *args,
        limit,
        offset,
    )
    attempts: dict[str, list[asyncpg.Record]] = {r["id"]: [] for r in rows}
    if rows:
        for a in await conn.fetch(
            "SELECT a.delivery_id, a.attempt, a.attempted_at, a.status_code, a.latency_ms, a.error "
            "FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id "
            "WHERE d.org_id = $1 AND a.delivery_id = ANY($2::text[]) ORDER BY a.delivery_id, a.attempt, a.id",
            org_id,
            list(attempts),
        ):
            attempts[a["delivery_id"]].append(a)
    return int(total), rows, attempts


async def redeliver(conn: Executor, org_id: str, webhook_id: str, delivery_id: str) -> bool:
    """Queue a delivery again under the same id (the receiver sees the same ``webhook-id``): pending, due now.
    False, and nothing changed, when the delivery is unknown, in flight, or its subscription is not live and active
    (``delivery_state`` tells which)."""
    queued = await conn.fetchrow(
        "WITH queued AS (UPDATE webhook_deliveries d SET status = 'pending', next_attempt_at = now(), "
        "locked_until = NULL, updated_at = now() FROM webhooks w "
        "WHERE d.org_id = $1 AND d.webhook_id = $2 AND d.id = $3 AND d.status <> 'delivering' "
        "AND w.id = d.webhook_id AND w.org_id = $1 AND w.deleted_at IS NULL AND w.disabled_at IS NULL "
        f"RETURNING d.id) {_NOTIFY_DISPATCHERS} FROM queued",
        org_id,
        webhook_id,
        delivery_id,
    )
    return queued is not None


async def delivery_state(conn: Executor, org_id: str, webhook_id: str, delivery_id: str) -> asyncpg.Record | None:
    """``status`` of a delivery of a live subscription, with ``webhook_disabled``; None when there is none."""
    return await conn.fetchrow(
        "SELECT d.status, w.disabled_at IS NOT NULL AS webhook_disabled "
        "FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
        "WHERE d.org_id = $1 AND d.webhook_id = $2 AND d.id = $3 AND w.org_id = $1 AND w.deleted_at IS NULL",
        org_id,
        webhook_id,
        delivery_id,
    )
