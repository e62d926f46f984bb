"""Prometheus metrics shared by every service. Each service serves them at ``/metrics``."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

EVENTS_CONSUMED = Counter(
    "talentmind_events_consumed_total",
    "Events handled by a consumer, by topic and outcome (ok, retried, dead_lettered).",
    ["topic", "outcome"],
)
EVENT_HANDLER_SECONDS = Histogram(
    "talentmind_event_handler_seconds",
    "Time a consumer handler spent on one event, retries included.",
    ["topic"],
)
OUTBOX_PUBLISHED = Counter(
    "talentmind_outbox_published_total", "Outbox events the relay published to Kafka.", ["topic"]
)
OUTBOX_LAG = Gauge("talentmind_outbox_pending", "Outbox events written but not yet published.")
HTTP_REQUESTS = Counter(
    "talentmind_http_requests_total",
    "HTTP requests answered, by route and status.",
    ["method", "route", "status"],
)
AUTH_LOOKUPS = Counter("talentmind_auth_key_lookups_total", "API-key lookups in the database (gateway).")
AUTH_REFUSED = Counter(
    "talentmind_auth_refused_total", "Requests refused before reaching a view, by reason (gateway).", ["reason"]
)
HTTP_SECONDS = Histogram("talentmind_http_request_seconds", "HTTP request latency by route.", ["method", "route"])
