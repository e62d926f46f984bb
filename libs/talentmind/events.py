"""Versioned domain events: the vocabulary services use on Kafka.

An event is an envelope (``type``, ``version``, ``id``, ``occurred_at``, ``org_id``) around a typed ``data``
payload, serialised as JSON. Each type travels on the topic of the same name and is keyed by the interview or
candidate it is about, so that one interview's events stay ordered on one partition.
A new payload shape gets a new ``version``; consumers reject versions they do not know (dead-letter) instead of
guessing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from talentmind import topics

PayloadT = TypeVar("PayloadT", bound=BaseModel)


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EventError(ValueError):
    """Bytes that are not a known event: a poison message, never retried."""


class Event(BaseModel, Generic[PayloadT]):
    """The envelope every event shares. Subclasses fix ``type``, ``version``, the topic and the key."""

    model_config = ConfigDict(frozen=True)

    type: str
    version: int = 1
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    org_id: str
    data: PayloadT

    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1

    @property
    def topic(self) -> str:
        return self.type

    def key(self) -> str:
        """Partition key: the interview (or candidate) the event is about."""
        data = self.data
        for attr in ("interview_id", "candidate_id"):
            value = getattr(data, attr, None)
            if value:
                return str(value)
        return str(self.id)

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()


# --- payloads -----------------------------------------------------------------------------------------------

InterviewSource = Literal["url", "upload", "transcript"]


class InterviewRequestedData(Payload):
    interview_id: str
    candidate_id: str
    vacancy_id: str
    source: InterviewSource
    media_url: str | None = None
    language: str | None = None


class InterviewTranscribedData(Payload):
    interview_id: str
    candidate_id: str
    vacancy_id: str
    language: str | None = None


class InterviewCompletedData(Payload):
    interview_id: str
    candidate_id: str
    vacancy_id: str
    match: float | None = None


class CandidateScoredData(Payload):
    candidate_id: str
    interview_id: str
    match: float | None = None
    scores: dict[str, float] = Field(default_factory=dict)


class ReportReadyData(Payload):
    candidate_id: str
    interview_id: str
    report_url: str


class InterviewFailedData(Payload):
    interview_id: str
    candidate_id: str
    vacancy_id: str
    error_code: str
    message: str


class CandidateDeletedData(Payload):
    """A candidate erased with everything about them: only their id (the client's own) and how much went."""

    candidate_id: str
    interviews_erased: int
    media_files_erased: int


# --- event types --------------------------------------------------------------------------------------------


class InterviewRequested(Event[InterviewRequestedData]):
    TYPE: ClassVar[str] = topics.INTERVIEW_REQUESTED
    type: Literal["interview.requested"] = "interview.requested"


class InterviewTranscribed(Event[InterviewTranscribedData]):
    TYPE: ClassVar[str] = topics.INTERVIEW_TRANSCRIBED
    type: Literal["interview.transcribed"] = "interview.transcribed"


class InterviewCompleted(Event[InterviewCompletedData]):
    TYPE: ClassVar[str] = topics.INTERVIEW_COMPLETED
    type: Literal["interview.completed"] = "interview.completed"


class CandidateScored(Event[CandidateScoredData]):
    TYPE: ClassVar[str] = topics.CANDIDATE_SCORED
    type: Literal["candidate.scored"] = "candidate.scored"


class ReportReady(Event[ReportReadyData]):
    TYPE: ClassVar[str] = topics.REPORT_READY
    type: Literal["report.ready"] = "report.ready"


class InterviewFailed(Event[InterviewFailedData]):
    TYPE: ClassVar[str] = topics.INTERVIEW_FAILED
    type: Literal["interview.failed"] = "interview.failed"


class CandidateDeleted(Event[CandidateDeletedData]):
    TYPE: ClassVar[str] = topics.CANDIDATE_DELETED
    type: Literal["candidate.deleted"] = "candidate.deleted"


EVENT_TYPES: dict[tuple[str, int], type[Event[Any]]] = {
    (cls.TYPE, cls.VERSION): cls
    for cls in (
        InterviewRequested,
        InterviewTranscribed,
        InterviewCompleted,
        CandidateScored,
        ReportReady,
        InterviewFailed,
        CandidateDeleted,
    )
}


def parse_event(raw: bytes | str) -> Event[Any]:
    """Decode one event from the wire, or raise :class:`EventError` for anything we cannot trust."""
    try:
        envelope = _Envelope.model_validate_json(raw)
    except ValidationError as exc:
        raise EventError(f"not an event envelope: {exc.errors()[0]['msg']}") from exc
    cls = EVENT_TYPES.get((envelope.type, envelope.version))
    if cls is None:
        raise EventError(f"unknown event type/version: {envelope.type} v{envelope.version}")
    try:
        return cls.model_validate_json(raw)
    except ValidationError as exc:
        raise EventError(f"invalid {envelope.type} v{envelope.version}: {exc}") from exc


class _Envelope(BaseModel):
    type: str
    version: int = 1
