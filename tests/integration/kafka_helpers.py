"""Small helpers for reading what landed on a topic, with a real consumer."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, ConsumerRecord


async def read_topic(
    bootstrap: str,
    topic: str,
    *,
    expect: int = 10**9,
    timeout_s: float = 20.0,
    until: Callable[[list[ConsumerRecord[bytes, bytes]]], bool] | None = None,
) -> list[ConsumerRecord[bytes, bytes]]:
    """Read ``topic`` from the beginning until ``expect`` records arrived, ``until`` holds, or the time is up."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"reader-{secrets.token_hex(4)}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout_s
        while len(records) < expect and not (until and until(records)) and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=300)
            for recs in batch.values():
                records.extend(recs)
        # a short extra read to catch anything beyond what was expected (duplicates)
        batch = await consumer.getmany(timeout_ms=700)
        for recs in batch.values():
            records.extend(recs)
    finally:
        await consumer.stop()
    return records
