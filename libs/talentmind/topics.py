"""Kafka topic names. Each event type has a topic of the same name; poison messages go to ``<topic>.dlq``."""

from __future__ import annotations

INTERVIEW_REQUESTED = "interview.requested"
INTERVIEW_TRANSCRIBED = "interview.transcribed"
INTERVIEW_COMPLETED = "interview.completed"
CANDIDATE_SCORED = "candidate.scored"
REPORT_READY = "report.ready"
INTERVIEW_FAILED = "interview.failed"
CANDIDATE_DELETED = "candidate.deleted"

EVENT_TOPICS: tuple[str, ...] = (
    INTERVIEW_REQUESTED,
    INTERVIEW_TRANSCRIBED,
    INTERVIEW_COMPLETED,
    CANDIDATE_SCORED,
    REPORT_READY,
    INTERVIEW_FAILED,
    CANDIDATE_DELETED,
)

DLQ_SUFFIX = ".dlq"


def dead_letter(topic: str) -> str:
    return topic + DLQ_SUFFIX


def all_topics() -> list[str]:
    """Every topic the platform uses, dead-letter topics included."""
    return [name for topic in EVENT_TOPICS for name in (topic, dead_letter(topic))]
