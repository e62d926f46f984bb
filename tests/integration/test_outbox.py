"""The outbox: an event exists on Kafka exactly when the transaction that wrote it committed."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from typing import Any

import asyncpg
import pytest

from talentmind.db.outbox import OutboxRelay, enqueue
from talentmind.events import Event, InterviewRequested, InterviewRequestedData, parse_event
from talentmind.kafka.consumer import EventConsumer
from talentmind.kafka.producer import Producer
from talentmind.settings import Settings
from tests.conftest import wait_for
from tests.integration.kafka_helpers import read_topic


def requested(interview_id: str) -> InterviewRequested:
    return InterviewRequested(
        org_id="org_test",
        data=InterviewRequestedData(
            interview_id=interview_id,
            candidate_id="cand_1",
            vacancy_id="vac_1",
            source="url",
            media_url="https://example.com/a.mp3",
        ),
    )


@pytest.fixture
async def producer(settings: Settings, kafka_topics: list[str]):  # type: ignore[no-untyped-def]
    p = Producer(settings.kafka_bootstrap, topic_prefix=settings.topic_prefix)
    await p.start()
    yield p
    await p.stop()


async def test_committed_event_reaches_a_consumer_and_rolled_back_one_never_does(
    settings: Settings, pool: asyncpg.Pool, producer: Producer
) -> None:
    kept, dropped = requested(f"int_{secrets.token_hex(4)}"), requested(f"int_{secrets.token_hex(4)}")
    async with pool.acquire() as conn:
        async with conn.transaction():
            await enqueue(conn, kept)
        with contextlib.suppress(RuntimeError):
            async with conn.transaction():
                await enqueue(conn, dropped)
                raise RuntimeError("the state change failed")

    received: list[Event[Any]] = []

    async def handler(event: Event[Any]) -> None:
        received.append(event)

    relay = OutboxRelay(pool, producer, poll_interval_s=0.1)
    consumer = EventConsumer(
        bootstrap=settings.kafka_bootstrap,
        group_id=f"g-{secrets.token_hex(4)}",
        topics=["interview.requested"],
        handler=handler,
        producer=producer,
    )
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(consumer.run())]
    try:
        await wait_for(lambda: _has(received, kept))
        await asyncio.sleep(1.0)  # room for a wrong extra delivery to show up
    finally:
        relay.stop()
        consumer.stop()
        await asyncio.gather(*tasks)

    ids = [e.id for e in received]
    assert ids.count(kept.id) == 1
    assert dropped.id not in ids
    assert received[ids.index(kept.id)] == kept
    published = await pool.fetchval("SELECT published_at FROM outbox WHERE event_id = $1", kept.id)
    assert published is not None
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE event_id = $1", dropped.id) == 0


async def _has(received: list[Event[Any]], event: Event[Any]) -> bool:
    return any(e.id == event.id for e in received)


async def test_relay_publishes_in_order_with_the_interview_as_key(
    settings: Settings, pool: asyncpg.Pool, producer: Producer
) -> None:
    interview_id = f"int_{secrets.token_hex(4)}"
    events = [requested(interview_id) for _ in range(5)]
    async with pool.acquire() as conn, conn.transaction():
        for e in events:
            await enqueue(conn, e)
    relay = OutboxRelay(pool, producer)
    while await relay.publish_pending():
        pass
    records = await read_topic(
        settings.kafka_bootstrap,
        settings.topic_prefix + "interview.requested",
        timeout_s=20,
        until=lambda rs: sum(r.key == interview_id.encode() for r in rs) >= len(events),
    )
    ours = [parse_event(r.value or b"") for r in records if r.key == interview_id.encode()]
    assert [e.id for e in ours] == [e.id for e in events]
    assert len({r.partition for r in records if r.key == interview_id.encode()}) == 1


async def test_two_relays_never_publish_the_same_row_twice(
    settings: Settings, pool: asyncpg.Pool, producer: Producer
) -> None:
    interview_id = f"int_{secrets.token_hex(4)}"
    events = [requested(interview_id) for _ in range(30)]
    async with pool.acquire() as conn, conn.transaction():
        for e in events:
            await enqueue(conn, e)
    relays = [OutboxRelay(pool, producer, batch_size=7) for _ in range(2)]

    async def drain(relay: OutboxRelay) -> None:
        for _ in range(50):
            await relay.publish_pending()

    await asyncio.gather(*(drain(r) for r in relays))
    records = await read_topic(
        settings.kafka_bootstrap,
        settings.topic_prefix + "interview.requested",
        timeout_s=20,
        until=lambda rs: sum(r.key == interview_id.encode() for r in rs) >= len(events),
    )
    ours = [parse_event(r.value or b"").id for r in records if r.key == interview_id.encode()]
    assert sorted(map(str, ours)) == sorted(str(e.id) for e in events)
