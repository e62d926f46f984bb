"""The dispatcher's Prometheus metrics."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

ATTEMPTS = Counter(
    "talentmind_webhook_attempts_total",
    "Webhook delivery attempts by outcome (succeeded, retrying, failed).",
    ["outcome"],
)
LATENCY = Histogram(
    "talentmind_webhook_attempt_seconds",
    "Latency of webhook delivery attempts.",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30),
)
ENDPOINTS_DISABLED = Counter("talentmind_webhook_endpoints_disabled_total", "Endpoints disabled after failing.")
