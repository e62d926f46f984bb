"""The scorer's Prometheus metrics."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

SCORING_SECONDS = Histogram(
    "talentmind_scorer_assessment_seconds",
    "Time to assess one interview (features, embeddings, performance, report).",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10),
)
FAILURES = Counter("talentmind_scorer_failures_total", "Interviews that could not be scored, by code.", ["code"])
