"""Consume events with at-least-once semantics.

* The offset of a message is committed only after its handler returned, i.e. after the handler's work is durable;
  a consumer killed mid-work leaves the message uncommitted and the group redelivers it.
* A handler that raises is retried with exponential backoff up to ``max_attempts`` times; then, or at once for a
  :class:`PermanentError` or bytes that are not a known event, the message goes to ``<topic>.dlq`` with the reason
  in its headers and the offset moves on, so one poison message never blocks a partition.
* With a :class:`DeliveryLog` each delivery of an event to the group is counted in PostgreSQL before the handler
  runs: an event already handed out ``max_deliveries`` times without finishing (its consumer was killed on it, say
  for memory) is dead-lettered instead of being handled again, which in-memory attempts alone cannot see.
* An infrastructure outage (``outages.is_outage``: PostgreSQL or Kafka unreachable) is not the message's fault: it
  is retried with capped backoff for as long as the outage lasts, without counting toward ``max_attempts``.
* Each message is handled inside a CONSUMER span whose parent is the trace context from the message headers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord
from aiokafka.errors import CommitFailedError, KafkaError
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from talentmind.db.deliveries import DeliveryLog
from talentmind.events import Event, EventError, parse_event
from talentmind.kafka.producer import Producer
from talentmind.outages import is_outage
from talentmind.retry import backoff_delay
from talentmind.telemetry import metrics
from talentmind.telemetry.tracing import context_from_headers
from talentmind.topics import dead_letter

log = logging.getLogger(__name__)
_tracer = trace.get_tracer(__name__)

Handler = Callable[[Event[Any]], Awaitable[None]]


class PermanentError(Exception):
    """Raised by a handler for work that can never succeed: the message is dead-lettered without retries."""


class EventConsumer:
    def __init__(
        self,
        *,
        bootstrap: str,
        group_id: str,
        topics: list[str],
        handler: Handler,
        producer: Producer,
        max_attempts: int = 5,
        backoff_initial_s: float = 0.5,
        backoff_max_s: float = 30.0,
        poll_timeout_ms: int = 500,
        session_timeout_ms: int = 10_000,
        max_poll_interval_ms: int = 300_000,
        dead_letters: bool = True,
        deliveries: DeliveryLog | None = None,
        max_deliveries: int = 5,
    ) -> None:
        """``dead_letters=False`` (a consumer of dead-letter topics): a message that cannot be handled is logged and
        skipped instead of being dead-lettered again."""
        self.group_id = group_id
        self._deliveries = deliveries
        self._max_deliveries = max_deliveries
        self._dead_letters = dead_letters
        self.topics = topics
        self._handler = handler
        self._producer = producer
        self._max_attempts = max_attempts
        self._backoff_initial_s = backoff_initial_s
        self._backoff_max_s = backoff_max_s
        self._poll_timeout_ms = poll_timeout_ms
        self._stopping = asyncio.Event()
        self._consumer = AIOKafkaConsumer(
            *[producer.topic_prefix + t for t in topics],
            bootstrap_servers=bootstrap,
            group_id=group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            session_timeout_ms=session_timeout_ms,
            # A handler may legitimately work this long on one message (a transcription) before the group
            # considers the member dead and hands its partitions to another.
            max_poll_interval_ms=max_poll_interval_ms,
            heartbeat_interval_ms=max(1000, session_timeout_ms // 3),
        )
        self.started = asyncio.Event()

    async def run(self) -> None:
        """Consume until :meth:`stop`. The consumer always leaves its group cleanly."""
        await self._consumer.start()
        self.started.set()
        log.info("consumer started", extra={"group": self.group_id, "topics": self.topics})
        try:
            while not self._stopping.is_set():
                batches = await self._consumer.getmany(timeout_ms=self._poll_timeout_ms)
                for tp, records in batches.items():
                    for record in records:
                        if self._stopping.is_set():
                            return
                        if not await self._process(record):
                            return  # stopped mid-retry: the offset stays uncommitted
                        try:
                            await self._consumer.commit({tp: record.offset + 1})
                        except CommitFailedError:
                            # The partition moved to another member during a rebalance; it will redeliver
                            # from the last commit and our idempotent handlers skip what is already done.
                            log.warning("commit failed after rebalance", extra={"partition": str(tp)})
                            break
        finally:
            await self._consumer.stop()
            log.info("consumer stopped", extra={"group": self.group_id})

    def stop(self) -> None:
        self._stopping.set()

    async def _process(self, record: ConsumerRecord[bytes, bytes]) -> bool:
        """Handle one record; False when a stop interrupted it before the outcome was final."""
        topic = record.topic.removeprefix(self._producer.topic_prefix)
        parent = context_from_headers(record.headers)
        with _tracer.start_as_current_span(f"{record.topic} process", context=parent, kind=SpanKind.CONSUMER) as span:
            span.set_attribute("messaging.system", "kafka")
            span.set_attribute("messaging.destination.name", record.topic)
            span.set_attribute("messaging.kafka.message.offset", record.offset)
            started = time.monotonic()
            try:
                event = parse_event(record.value or b"")
            except EventError as exc:
                span.set_status(Status(StatusCode.ERROR, str(exc)))
                await self._dead_letter(record, topic, f"undecodable: {exc}", attempts=0)
                return True
            span.set_attribute("talentmind.event.type", event.type)
            span.set_attribute("talentmind.event.id", str(event.id))
            delivery = await self._begin_delivery(topic, event)
            if delivery is None:
                return False
            if delivery > self._max_deliveries:
                reason = f"delivered {delivery} times without finishing: the consumer may have died handling it"
                span.set_status(Status(StatusCode.ERROR, reason))
                await self._dead_letter(record, topic, reason, attempts=delivery - 1)
                await self._end_delivery(event, finished=True)
                return True
            attempt = outages = 0
            while True:
                attempt += 1
                try:
                    await self._handler(event)
                except PermanentError as exc:
                    span.set_status(Status(StatusCode.ERROR, str(exc)))
                    await self._dead_letter(record, topic, f"permanent: {exc}", attempts=attempt)
                    break
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    if is_outage(exc):
                        outages += 1
                        attempt -= 1  # the message is not at fault: this try does not count
                        if not await self._wait_out(topic, event, exc, outages):
                            await self._end_delivery(event, finished=False)
                            return False
                        continue
                    if attempt >= self._max_attempts:
                        span.record_exception(exc)
                        span.set_status(Status(StatusCode.ERROR, repr(exc)))
                        await self._dead_letter(record, topic, f"gave up: {exc!r}", attempts=attempt)
                        break
                    delay = backoff_delay(attempt, self._backoff_initial_s, self._backoff_max_s)
                    log.warning(
                        "handler failed, retrying",
                        extra={
                            "topic": topic,
                            "event_id": str(event.id),
                            "attempt": attempt,
                            "delay_s": delay,
                            "error": repr(exc),
                        },
                    )
                    metrics.EVENTS_CONSUMED.labels(topic, "retried").inc()
                    if await self._stopped_within(delay):
                        await self._end_delivery(event, finished=False)
                        return False
                else:
                    metrics.EVENTS_CONSUMED.labels(topic, "ok").inc()
                    break
            await self._end_delivery(event, finished=True)
            metrics.EVENT_HANDLER_SECONDS.labels(topic).observe(time.monotonic() - started)
            return True

    async def _begin_delivery(self, topic: str, event: Event[Any]) -> int | None:
        """Count this delivery durably (outages waited out); its number, 1 without a log, None when stopped."""
        if self._deliveries is None:
            return 1
        outages = 0
        while True:
            try:
                return await self._deliveries.begin(self.group_id, event.id)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if not is_outage(exc):
                    raise
                outages += 1
                if not await self._wait_out(topic, event, exc, outages):
                    return None

    async def _end_delivery(self, event: Event[Any], *, finished: bool) -> None:
        """Forget a finished event's count; on a stop before the outcome, take this delivery back, so that a
        deploy does not count as a crash. Best effort: a count left behind only brings its limit nearer."""
        if self._deliveries is None:
            return
        try:
            if finished:
                await self._deliveries.finish(self.group_id, event.id)
            else:
                await self._deliveries.give_back(self.group_id, event.id)
        except Exception as exc:
            log.warning("delivery count not updated", extra={"event_id": str(event.id), "error": repr(exc)})

    async def _wait_out(self, topic: str, event: Event[Any], exc: Exception, outages: int) -> bool:
        """Back off during an infrastructure outage; False when a stop came first."""
        delay = backoff_delay(min(outages, 30), self._backoff_initial_s, self._backoff_max_s)
        log.warning(
            "infrastructure unavailable, retrying",
            extra={"topic": topic, "event_id": str(event.id), "delay_s": delay, "error": repr(exc)},
        )
        metrics.EVENTS_CONSUMED.labels(topic, "outage_retried").inc()
        return not await self._stopped_within(delay)

    async def _stopped_within(self, delay_s: float) -> bool:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), delay_s)
        return self._stopping.is_set()

    async def _dead_letter(self, record: ConsumerRecord[bytes, bytes], topic: str, reason: str, attempts: int) -> None:
        if not self._dead_letters:
            metrics.EVENTS_CONSUMED.labels(topic, "skipped").inc()
            log.error("message skipped", extra={"topic": topic, "offset": record.offset, "reason": reason})
            return
        headers = {name: value.decode("latin-1") for name, value in record.headers or () if value is not None}
        headers.update(
            {
                "x-dlq-reason": reason[:1000],
                "x-dlq-topic": record.topic,
                "x-dlq-partition": str(record.partition),
                "x-dlq-offset": str(record.offset),
                "x-dlq-attempts": str(attempts),
                "x-dlq-group": self.group_id,
            }
        )
        key = (record.key or b"").decode("utf-8", "replace")
        try:
            ack = await self._producer.send_raw(dead_letter(topic), key=key, value=record.value or b"", headers=headers)
            await ack
        except KafkaError:
            log.exception("dead-letter publish failed; the message stays uncommitted")
            raise
        metrics.EVENTS_CONSUMED.labels(topic, "dead_lettered").inc()
        log.error("message dead-lettered", extra={"topic": topic, "offset": record.offset, "reason": reason})
