"""OpenTelemetry tracing, and the W3C trace context carried in Kafka headers.

Services call :func:`setup_tracing` once; the maintained instrumentations for aiohttp (server and client) and
asyncpg then create spans on their own. Kafka is crossed through the outbox, so the context is captured when an
event is written (:func:`current_context_headers`), stored with it, sent as Kafka headers by the relay, and
restored by the consumer (:func:`context_from_headers`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

from talentmind.settings import Settings

log = logging.getLogger(__name__)
_instrumented = False


def setup_tracing(settings: Settings, service: str) -> None:
    global _instrumented
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider(resource=Resource.create({"service.name": f"talentmind-{service}"}))
        exporter = _exporter(settings)
        if exporter is not None:
            provider.add_span_processor(BatchSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
    if not _instrumented:
        from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor
        from opentelemetry.instrumentation.aiohttp_server import AioHttpServerInstrumentor
        from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor

        AioHttpServerInstrumentor().instrument()
        AioHttpClientInstrumentor().instrument()
        AsyncPGInstrumentor().instrument()  # type: ignore[no-untyped-call]
        _instrumented = True


def _exporter(settings: Settings) -> SpanExporter | None:
    if settings.trace_exporter == "console":
        return ConsoleSpanExporter()
    if settings.trace_exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter(endpoint=settings.trace_endpoint)
    return None


def current_context_headers() -> dict[str, str]:
    """The active trace context as W3C headers (``traceparent``, ``tracestate``); empty outside a span."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


def context_from_headers(headers: Mapping[str, str] | Iterable[tuple[str, bytes]] | None) -> context.Context:
    """The trace context stored in Kafka headers (a list of ``(name, bytes)``) or in a plain mapping."""
    if headers is None:
        return context.get_current()
    carrier: dict[str, str]
    if isinstance(headers, Mapping):
        carrier = dict(headers)
    else:
        carrier = {name: value.decode("latin-1") for name, value in headers if value is not None}
    return propagate.extract(carrier)


def kafka_headers(carrier: Mapping[str, str]) -> list[tuple[str, bytes]]:
    return [(name, value.encode("latin-1")) for name, value in carrier.items()]
