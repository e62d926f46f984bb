"""The consumer wrapper against a real broker: redelivery, dead letters, idempotency, trace context."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import signal
import sys
from typing import Any

import asyncpg
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from talentmind.db.deliveries import DeliveryLog
from talentmind.db.idempotency import claim_event
from talentmind.db.outbox import OutboxRelay, enqueue
from talentmind.devstack import postgres as local_pg
from talentmind.events import Event, InterviewRequested, InterviewRequestedData
from talentmind.kafka.admin import ensure_topics
from talentmind.kafka.consumer import EventConsumer, PermanentError
from talentmind.kafka.producer import Producer
from talentmind.settings import Settings
from talentmind.telemetry import metrics
from talentmind.topics import all_topics
from tests.conftest import ROOT, TEST_LOCAL_DIR, free_port, wait_for
from tests.integration.kafka_helpers import read_topic

TOPIC = "interview.requested"
DLQ = "interview.requested.dlq"


def requested() -> InterviewRequested:
    return InterviewRequested(
        org_id="org_test",
        data=InterviewRequestedData(
            interview_id=f"int_{secrets.token_hex(4)}", candidate_id="c", vacancy_id="v", source="transcript"
        ),
    )


@pytest.fixture
async def isolated(settings: Settings):  # type: ignore[no-untyped-def]
    """Topics of this test alone: other tests' events on the session's topics must not reach its consumers."""
    isolated = settings.model_copy(update={"topic_prefix": f"{settings.topic_prefix}{secrets.token_hex(3)}."})
    await ensure_topics(isolated.kafka_bootstrap, [isolated.topic_prefix + t for t in all_topics()], partitions=3)
    return isolated


@pytest.fixture
async def producer(isolated: Settings):  # type: ignore[no-untyped-def]
    p = Producer(isolated.kafka_bootstrap, topic_prefix=isolated.topic_prefix)
    await p.start()
    yield p
    await p.stop()


def consumer_for(
    settings: Settings, producer: Producer, handler: Any, group: str | None = None, **kw: Any
) -> EventConsumer:
    return EventConsumer(
        bootstrap=settings.kafka_bootstrap,
        group_id=group or f"g-{secrets.token_hex(4)}",
        topics=[TOPIC],
        handler=handler,
        producer=producer,
        max_attempts=settings.consumer_max_attempts,
        backoff_initial_s=settings.consumer_backoff_initial_s,
        backoff_max_s=settings.consumer_backoff_max_s,
        **kw,
    )


async def run_until(consumer: EventConsumer, condition: Any, timeout_s: float = 30.0) -> None:
    task = asyncio.create_task(consumer.run())
    try:
        await wait_for(condition, timeout_s)
    finally:
        consumer.stop()
        await task


async def kill_while_handling(settings: Settings, group: str, event: Event[Any], *counting: str) -> None:
    """Run a consumer process of ``group`` until its handler holds ``event``, then SIGKILL it (``counting``: the
    DSN and delivery limit of a consumer that counts its deliveries)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.integration.consumer_proc",
        settings.kafka_bootstrap,
        settings.topic_prefix,
        group,
        TOPIC,
        *counting,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        # the group waits for the previous member's session to expire before handing the partition over
        line = await asyncio.wait_for(proc.stdout.readline(), 120)
        assert line.decode().strip() == f"got {event.id}"
    finally:
        proc.send_signal(signal.SIGKILL)
        await proc.wait()


async def test_uncommitted_message_is_redelivered_after_the_consumer_is_killed(
    isolated: Settings, producer: Producer
) -> None:
    group = f"g-kill-{secrets.token_hex(4)}"
    event = requested()
    await producer.publish(event)
    await kill_while_handling(isolated, group, event)

    seen: list[Event[Any]] = []

    async def handler(e: Event[Any]) -> None:
        seen.append(e)

    survivor = consumer_for(isolated, producer, handler, group=group, session_timeout_ms=6000)
    await run_until(survivor, lambda: _contains(seen, event), timeout_s=60)
    assert [e.id for e in seen] == [event.id]

    # The survivor committed: a later member of the group gets nothing more of it. A sentinel on the same
    # partition (same key), published afterwards, is read after anything still uncommitted before it, so once the
    # sentinel arrives there is nothing left to wait for.
    sentinel = InterviewRequested(org_id=event.org_id, data=event.data)
    await producer.publish(sentinel)
    later: list[Event[Any]] = []

    async def handler2(e: Event[Any]) -> None:
        later.append(e)

    third = consumer_for(isolated, producer, handler2, group=group)
    await run_until(third, lambda: _contains(later, sentinel), timeout_s=60)
    assert [e.id for e in later] == [sentinel.id]


async def _contains(seen: list[Event[Any]], event: Event[Any]) -> bool:
    return any(e.id == event.id for e in seen)


async def delivery_count(pool: asyncpg.Pool, group: str, event: Event[Any]) -> int | None:
    count = await pool.fetchval(
        "SELECT deliveries FROM consumer_deliveries WHERE consumer_group = $1 AND event_id = $2", group, event.id
    )
    return None if count is None else int(count)


async def test_an_event_that_kills_its_consumer_is_dead_lettered_after_the_delivery_limit(
    isolated: Settings, producer: Producer, pool: asyncpg.Pool
) -> None:
    """An event whose consumer dies on it every time (as one killed for memory would) is handed out
    ``max_deliveries`` times, counted in PostgreSQL across processes, and then dead-lettered without running the
    handler again, instead of holding its partition forever."""
    group = f"g-crash-{secrets.token_hex(4)}"
    event = requested()
    await producer.publish(event)
    for n in (1, 2):
        await kill_while_handling(isolated, group, event, isolated.database_url, "2")
        assert await delivery_count(pool, group, event) == n

    seen: list[Event[Any]] = []

    async def handler(e: Event[Any]) -> None:
        seen.append(e)

    survivor = consumer_for(
        isolated,
        producer,
        handler,
        group=group,
        session_timeout_ms=6000,
        deliveries=DeliveryLog(pool),
        max_deliveries=2,
    )
    task = asyncio.create_task(survivor.run())
    try:
        dead = await read_topic(
            isolated.kafka_bootstrap,
            isolated.topic_prefix + DLQ,
            timeout_s=120,
            until=lambda records: any(r.key == event.key().encode() for r in records),
        )
    finally:
        survivor.stop()
        await task
    assert seen == []
    (record,) = [r for r in dead if r.key == event.key().encode()]
    headers = {k: v.decode() for k, v in record.headers}
    assert headers["x-dlq-reason"].startswith("delivered 3 times without finishing")
    assert headers["x-dlq-attempts"] == "2"
    assert await delivery_count(pool, group, event) is None  # finished: the count is gone


async def test_handled_events_leave_no_count_and_a_stop_mid_retry_gives_the_delivery_back(
    isolated: Settings, producer: Producer, pool: asyncpg.Pool
) -> None:
    # One key, so one partition in this order: the consumer handles partitions one after the other, and the failing
    # event's hour-long retry wait must not come before the ok one.
    ok = requested()
    failing = InterviewRequested(org_id=ok.org_id, data=ok.data)
    tried: list[Event[Any]] = []
    handled: list[Event[Any]] = []

    async def handler(e: Event[Any]) -> None:
        if e.id == failing.id:
            tried.append(e)
            raise RuntimeError("not yet")
        handled.append(e)

    group = f"g-count-{secrets.token_hex(4)}"
    settings = isolated.model_copy(update={"consumer_backoff_initial_s": 3600.0, "consumer_backoff_max_s": 3600.0})
    consumer = consumer_for(settings, producer, handler, group=group, deliveries=DeliveryLog(pool))
    await producer.publish(ok)
    await producer.publish(failing)

    async def settled() -> bool:
        return bool(tried) and await _contains(handled, ok) and await delivery_count(pool, group, ok) is None

    # the failing event waits an hour for its retry; the stop ends that wait, which is a shutdown, not a crash
    await run_until(consumer, settled, timeout_s=120)
    assert await delivery_count(pool, group, failing) == 0


async def test_failing_handler_is_retried_then_dead_lettered_with_the_reason(
    isolated: Settings, producer: Producer
) -> None:
    event = requested()
    attempts: list[int] = []

    async def handler(e: Event[Any]) -> None:
        if e.id == event.id:
            attempts.append(1)
            raise RuntimeError("database on fire")

    await producer.publish(event)
    await run_until(consumer_for(isolated, producer, handler), lambda: _eq(len(attempts), 3))
    dead = [
        r
        for r in await read_topic(isolated.kafka_bootstrap, isolated.topic_prefix + DLQ, timeout_s=5)
        if r.key == event.key().encode()
    ]
    assert len(dead) == 1
    headers = {k: v.decode() for k, v in dead[0].headers}
    assert "database on fire" in headers["x-dlq-reason"]
    assert headers["x-dlq-attempts"] == "3"
    assert dead[0].value == event.to_json()


async def test_poison_and_permanent_failures_skip_retries(isolated: Settings, producer: Producer) -> None:
    key = f"poison-{secrets.token_hex(4)}"
    await (await producer.send_raw(TOPIC, key=key, value=b"\x00not an event"))
    permanent = requested()
    calls: list[str] = []

    async def handler(e: Event[Any]) -> None:
        if e.id == permanent.id:
            calls.append("x")
            raise PermanentError("no audio track")

    await producer.publish(permanent)
    wanted = {key.encode(), permanent.key().encode()}
    consumer = consumer_for(isolated, producer, handler)
    task = asyncio.create_task(consumer.run())
    try:
        # The two records may sit on different partitions: the consumer runs until both are on the dead-letter
        # topic (stopping it once the permanent one was handled raced the poison on its own partition), with a
        # deadline generous for a busy machine.
        dead = await read_topic(
            isolated.kafka_bootstrap,
            isolated.topic_prefix + DLQ,
            timeout_s=120,
            until=lambda records: wanted <= {r.key for r in records},
        )
    finally:
        consumer.stop()
        await task
    assert calls == ["x"]  # dead-lettered at once, not retried
    reasons = {
        r.key.decode(): dict((k, v.decode()) for k, v in r.headers)["x-dlq-reason"]
        for r in dead
        if r.key in (key.encode(), permanent.key().encode())
    }
    assert reasons[key].startswith("undecodable")
    assert reasons[permanent.key()].startswith("permanent: no audio track")


async def _eq(a: object, b: object) -> bool:
    return a == b


async def test_claim_event_makes_a_redelivered_event_a_no_op(pool: asyncpg.Pool) -> None:
    event_id = requested().id
    async with pool.acquire() as conn:
        async with conn.transaction():
            assert await claim_event(conn, "test", event_id) is True
        async with conn.transaction():
            assert await claim_event(conn, "test", event_id) is False
        assert await claim_event(conn, "other-consumer", event_id) is True


async def test_trace_context_survives_the_outbox_and_a_kafka_hop(
    settings: Settings, kafka_topics: list[str], pool: asyncpg.Pool
) -> None:
    # The outbox is shared by the session (another relay may publish our row), so this test reads the
    # session's topics rather than isolated ones.
    producer = Producer(settings.kafka_bootstrap, topic_prefix=settings.topic_prefix)
    await producer.start()
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        trace.set_tracer_provider(TracerProvider())
    tracer = trace.get_tracer("test")
    event = requested()
    with tracer.start_as_current_span("POST /v1/interviews") as span:
        origin = span.get_span_context()
        async with pool.acquire() as conn, conn.transaction():
            await enqueue(conn, event)
    observed: dict[str, Any] = {}

    async def handler(e: Event[Any]) -> None:
        if e.id == event.id:
            ctx = trace.get_current_span().get_span_context()
            observed["trace_id"], observed["span_id"] = ctx.trace_id, ctx.span_id

    relay = OutboxRelay(pool, producer, poll_interval_s=0.1)
    relay_task = asyncio.create_task(relay.run())
    try:
        await run_until(consumer_for(settings, producer, handler), lambda: _eq("trace_id" in observed, True))
    finally:
        relay.stop()
        await relay_task
        await producer.stop()
    assert observed["trace_id"] == origin.trace_id
    assert observed["span_id"] != origin.span_id  # a child span, not the same one


async def test_a_database_outage_is_waited_out_not_dead_lettered(isolated: Settings, producer: Producer) -> None:
    """Issue 10: PostgreSQL stopped for longer than the quick retries sent the message to the dead-letter topic and
    left its interview processing for good. A cluster of this test's own is stopped under the handler, for more
    tries than ``consumer_max_attempts``, then started again: the message is handled once, nothing dead-lettered."""
    root = TEST_LOCAL_DIR / f"pg-consumer-{secrets.token_hex(3)}"
    port = free_port()
    admin = await asyncio.to_thread(local_pg.ensure_cluster, root, port)
    pool = await asyncpg.create_pool(admin, min_size=0, max_size=2, timeout=2)
    try:
        await pool.execute("CREATE TABLE seen (id text PRIMARY KEY)")
        event = requested()

        async def handler(e: Event[Any]) -> None:
            if e.id == event.id:
                await pool.execute("INSERT INTO seen VALUES ($1) ON CONFLICT DO NOTHING", str(e.id))

        outage_tries = metrics.EVENTS_CONSUMED.labels(TOPIC, "outage_retried")
        before = outage_tries._value.get()
        await asyncio.to_thread(local_pg.stop_cluster, root)
        await producer.publish(event)
        consumer = consumer_for(isolated, producer, handler)
        task = asyncio.create_task(consumer.run())
        try:

            async def outage_outlasted_the_attempts() -> bool:
                return bool(outage_tries._value.get() - before > isolated.consumer_max_attempts + 2)

            await wait_for(outage_outlasted_the_attempts, timeout_s=120.0)
            await asyncio.to_thread(local_pg.ensure_cluster, root, port)

            async def handled() -> bool:
                try:
                    return bool(await pool.fetchval("SELECT count(*) FROM seen WHERE id = $1", str(event.id)))
                except Exception:
                    return False

            await wait_for(handled, timeout_s=120.0, interval_s=0.5)
        finally:
            consumer.stop()
            await task
        dead = await read_topic(isolated.kafka_bootstrap, isolated.topic_prefix + DLQ, timeout_s=3)
        assert event.key().encode() not in {r.key for r in dead}
        assert await pool.fetchval("SELECT count(*) FROM seen") == 1
    finally:
        await pool.close()
        await asyncio.to_thread(local_pg.stop_cluster, root)
        shutil.rmtree(root, ignore_errors=True)
