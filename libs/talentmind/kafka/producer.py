"""The one Kafka producer of a process: acks from all in-sync replicas, idempotent, trace context in headers."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from aiokafka import AIOKafkaProducer
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from talentmind.events import Event
from talentmind.telemetry.tracing import current_context_headers, kafka_headers

_tracer = trace.get_tracer(__name__)


class Producer:
    def __init__(self, bootstrap: str, *, topic_prefix: str = "", client_id: str = "talentmind") -> None:
        self.topic_prefix = topic_prefix
        self._producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap,
            client_id=client_id,
            acks="all",
            enable_idempotence=True,
            linger_ms=5,
        )

    async def start(self) -> None:
        await self._producer.start()

    async def stop(self) -> None:
        await self._producer.stop()

    async def ping(self, timeout_s: float = 5.0) -> None:
        """Raise unless the cluster answers a metadata request (readiness)."""
        ok = await asyncio.wait_for(self._producer.client.fetch_all_metadata(), timeout_s)
        if ok is None:
            raise ConnectionError("kafka metadata request failed")

    async def send_raw(
        self,
        topic: str,
        *,
        key: str,
        value: bytes,
        headers: Mapping[str, str] | None = None,
    ) -> asyncio.Future[Any]:
        """Queue one record for ``topic`` (the prefix is added here); return the future of the broker's ack.

        A PRODUCER span is started under the current context and its context replaces any ``traceparent`` in
        ``headers``, so the consumer's span becomes its child.
        """
        physical = self.topic_prefix + topic
        with _tracer.start_as_current_span(f"{physical} publish", kind=SpanKind.PRODUCER) as span:
            span.set_attribute("messaging.system", "kafka")
            span.set_attribute("messaging.destination.name", physical)
            carrier = {k: v for k, v in (headers or {}).items() if k not in ("traceparent", "tracestate")}
            carrier.update(current_context_headers())
            ack: asyncio.Future[Any] = await self._producer.send(
                physical, value=value, key=key.encode(), headers=kafka_headers(carrier)
            )
            return ack

    async def publish(self, event: Event[Any]) -> None:
        """Send an event straight to Kafka and wait for the ack (not transactional: prefer the outbox)."""
        await (await self.send_raw(event.topic, key=event.key(), value=event.to_json()))
