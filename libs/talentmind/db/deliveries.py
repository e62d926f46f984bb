"""Deliveries of an event to a consumer group, counted in the database rather than in the consumer's memory.

A consumer that dies while handling an event (killed for memory, a crash in a native decoder) never reaches its
in-memory retry count: the group hands the event to the next member, which may die the same way, forever, and the
partition behind it waits. Counting each delivery before the handler runs, in a row that outlives the process,
lets the consumer see that an event has already been handed out ``n`` times without finishing and dead-letter it.
The row is removed once the event is finished (handled, dead-lettered or skipped), so the table holds only events
in flight; rows left behind by an error in that removal are pruned by age.
"""

from __future__ import annotations

import uuid

from talentmind.db.pool import Executor


class DeliveryLog:
    def __init__(self, db: Executor) -> None:
        self._db = db

    async def begin(self, group: str, event_id: uuid.UUID) -> int:
        """Count one more delivery of ``event_id`` to ``group``, committed before the handler runs; the number of
        this delivery (1 the first time)."""
        count = await self._db.fetchval(
            "INSERT INTO consumer_deliveries (consumer_group, event_id) VALUES ($1, $2) "
            "ON CONFLICT (consumer_group, event_id) DO UPDATE SET "
            "deliveries = consumer_deliveries.deliveries + 1, last_delivered_at = now() RETURNING deliveries",
            group,
            event_id,
        )
        return int(count)

    async def finish(self, group: str, event_id: uuid.UUID) -> None:
        await self._db.execute(
            "DELETE FROM consumer_deliveries WHERE consumer_group = $1 AND event_id = $2", group, event_id
        )

    async def give_back(self, group: str, event_id: uuid.UUID) -> None:
        """Take back the count of a delivery that stopped on purpose (a shutdown) before its outcome."""
        await self._db.execute(
            "UPDATE consumer_deliveries SET deliveries = deliveries - 1 "
            "WHERE consumer_group = $1 AND event_id = $2 AND deliveries > 0",
            group,
            event_id,
        )


async def prune_deliveries(db: Executor, *, older_than_s: float) -> int:
    """Remove counts not touched for ``older_than_s`` (left by a failed :meth:`DeliveryLog.finish`); how many."""
    result = await db.execute(
        "DELETE FROM consumer_deliveries WHERE last_delivered_at < now() - make_interval(secs => $1)", older_than_s
    )
    return int(result.split()[-1])
