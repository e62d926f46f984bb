"""A consumer in its own process that takes one message and then hangs in its handler, never committing.

The redelivery test SIGKILLs it there, as a crash or an OOM kill would.
Usage: python -m tests.integration.consumer_proc BOOTSTRAP PREFIX GROUP TOPIC
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from talentmind.events import Event
from talentmind.kafka.consumer import EventConsumer
from talentmind.kafka.producer import Producer


async def main(bootstrap: str, prefix: str, group: str, topic: str) -> None:
    producer = Producer(bootstrap, topic_prefix=prefix)
    await producer.start()

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
    )
    await consumer.run()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
