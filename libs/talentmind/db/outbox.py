"""The transactional outbox and its relay to Kafka.

Writers call :func:`enqueue` inside the transaction that changes state, so the event exists exactly when the change
does. :class:`OutboxRelay` publishes pending rows in order and marks them published. Only one relay publishes at a
time (a transaction-scoped advisory lock), which keeps one interview's events in order even with several replicas;
the others wait as hot standbys. A crash between the broker's ack and the UPDATE republishes a row, which is why
consumers are idempotent on the event id.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

import asyncpg
from opentelemetry import context as otel_context

from talentmind.db.pool import Connection
from talentmind.events import Event
from talentmind.kafka.producer import Producer
from talentmind.telemetry import metrics
from talentmind.telemetry.tracing import context_from_headers, current_context_headers

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "talentmind_outbox"
# An arbitrary constant shared by all relays: whoever holds it publishes.
RELAY_LOCK_ID = 0x7A1E_0B0C


async def enqueue(conn: Connection, event: Event[Any]) -> None:
    """Write ``event`` to the outbox on ``conn``; call it inside the transaction of the state change."""
    await conn.execute(
        "INSERT INTO outbox (event_id, topic, key, payload, headers) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)",
        event.id,
        event.topic,
        event.key(),
        json.loads(event.model_dump_json()),
        current_context_headers(),
    )
    await conn.execute(f"NOTIFY {NOTIFY_CHANNEL}")


class OutboxRelay:
    def __init__(
        self,
        pool: asyncpg.Pool,
        producer: Producer,
        *,
        poll_interval_s: float = 1.0,
        batch_size: int = 100,
    ) -> None:
        self._pool = pool
        self._producer = producer
        self._poll_interval_s = poll_interval_s
        self._batch_size = batch_size
        self._wakeup = asyncio.Event()
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        """Publish until :meth:`stop`; survives broker and database hiccups by retrying after a pause."""
        listener = await self._pool.acquire()
        try:
            await listener.add_listener(NOTIFY_CHANNEL, self._on_notify)
            while not self._stopping.is_set():
                try:
                    published = await self.publish_pending()
                except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
                    log.warning("outbox relay: publish failed, retrying", extra={"error": repr(exc)})
                    published = 0
                    await self._sleep(self._poll_interval_s)
                except Exception:
                    log.exception("outbox relay: unexpected error, retrying")
                    published = 0
                    await self._sleep(self._poll_interval_s)
                if published < self._batch_size:
                    await self._sleep(self._poll_interval_s)
        finally:
            with contextlib.suppress(Exception):
                await listener.remove_listener(NOTIFY_CHANNEL, self._on_notify)
            await self._pool.release(listener)

    def stop(self) -> None:
        self._stopping.set()
        self._wakeup.set()

    async def publish_pending(self) -> int:
        """Publish one batch of pending events; return how many were published (0 when another relay leads)."""
        async with self._pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", RELAY_LOCK_ID):
                return 0
            rows = await conn.fetch(
                "SELECT seq, topic, key, payload, headers FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1",
                self._batch_size,
            )
            if not rows:
                metrics.OUTBOX_LAG.set(0)
                return 0
            acks = []
            for row in rows:
                token = otel_context.attach(context_from_headers(row["headers"]))
                try:
                    acks.append(
                        await self._producer.send_raw(
                            row["topic"],
                            key=row["key"],
                            value=json.dumps(row["payload"]).encode(),
                            headers=row["headers"],
                        )
                    )
                finally:
                    otel_context.detach(token)
            await asyncio.gather(*acks)
            await conn.execute(
                "UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])",
                [r["seq"] for r in rows],
            )
            for row in rows:
                metrics.OUTBOX_PUBLISHED.labels(row["topic"]).inc()
            pending = await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            metrics.OUTBOX_LAG.set(pending)
            log.debug("outbox relay published", extra={"count": len(rows)})
            return len(rows)

    def _on_notify(self, *_: object) -> None:
        self._wakeup.set()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), seconds)
        self._wakeup.clear()
