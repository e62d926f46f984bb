"""A consumer in its own process that takes one message and then hangs in its handler, never committing.

The redelivery tests SIGKILL it there, as a crash or an OOM kill would.
Usage: python -m tests.integration.consumer_proc BOOTSTRAP PREFIX GROUP TOPIC [DSN MAX_DELIVERIES]
With a DSN the consumer counts its deliveries in that database, as the services do.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import asyncpg

from talentmind.db.deliveries import DeliveryLog
from talentmind.events import Event
from talentmind.kafka.consumer import EventConsumer
from talentmind.kafka.producer import Producer


async def main(bootstrap: str, prefix: str, group: str, topic: str, dsn: str = "", max_deliveries: str = "5") -> None:
    producer = Producer(bootstrap, topic_prefix=prefix)
    await producer.start()
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2) if dsn else None

    async def handler(event: Event[Any]) -> None:
        print(f"got {event.id}", flush=True)
        await asyncio.sleep(3600)

    consumer = EventConsumer(
        bootstrap=bootstrap,
        group_id=group,
        topics=[topic],
        handler=handler,
        producer=producer,
        session_timeout_ms=6000,
        deliveries=DeliveryLog(pool) if pool is not None else None,
        max_deliveries=int(max_deliveries),
    )
    await consumer.run()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
