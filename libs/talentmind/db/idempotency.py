"""Exactly-once effects on top of at-least-once delivery: remember which events a consumer has applied."""

from __future__ import annotations

import uuid

from talentmind.db.pool import Connection


async def claim_event(conn: Connection, consumer: str, event_id: uuid.UUID) -> bool:
    """Record that ``consumer`` applies ``event_id`` in the caller's transaction.

    True the first time; False when the event was already applied (a redelivery), in which case the caller skips
    its work. Because the row commits with the work, a crash before commit leaves neither behind.
    """
    inserted = await conn.fetchval(
        "INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1",
        consumer,
        event_id,
    )
    return inserted is not None
