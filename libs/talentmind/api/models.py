"""Request and response models of API v1 (field names and shapes are fixed by the contract)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AnyUrl,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    UrlConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from talentmind.competencies import COMPARE_CRITERIA, Competency
from talentmind.culture import ITEM_IDS

InterviewStatus = Literal["processing", "completed", "failed"]
Language = Literal["ru", "en"]
Speaker = Literal["interviewer", "candidate"]
Recommendation = Literal["recommended", "consider", "not_recommended"]
WebhookEvent = Literal[
    "interview.completed", "report.ready", "candidate.scored", "interview.failed", "candidate.deleted"
]
WEBHOOK_EVENTS: tuple[str, ...] = get_args(WebhookEvent)

# Client-chosen identifiers (candidates and vacancies come from the ATS): printable, no spaces, bounded.
ClientId = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:@-]*$")]
HttpUrl = Annotated[AnyUrl, UrlConstraints(allowed_schemes=["http", "https"], max_length=2048, host_required=True)]
Score = Annotated[float, Field(ge=0.0, le=1.0)]
# Timestamps as the contract writes them: UTC, whole seconds, "Z" ("2026-06-13T09:24:00Z").
Timestamp = Annotated[
    datetime,
    PlainSerializer(lambda d: d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class Request(BaseModel):
    """A JSON request body: unknown fields and silent type coercion (``false`` as 0, "1" as 1) are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)


class Form(BaseModel):
    """Query strings and form fields arrive as text, so their numbers are parsed from strings."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Response(BaseModel):
    success: Literal[True] = True


# --- interviews ----------------------------------------------------------------------------------------------


class TranscriptTurn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    speaker: Speaker
    text: str = Field(min_length=1, max_length=100_000)
    start: float | None = Field(None, ge=0, description="Seconds from the start of the recording.")
    end: float | None = Field(None, ge=0)

    @field_validator("start", "end")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> TranscriptTurn:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError("end must not be before start")
        return self


class CreateInterviewRequest(Request):
    """Exactly one of ``media_url`` (the contract's way) and ``transcript`` (already transcribed elsewhere).

    A recording can also be uploaded as ``multipart/form-data`` with the fields ``candidate_id``, ``vacancy_id``,
    optional ``language`` and the file in ``media``.
    """

    candidate_id: ClientId
    vacancy_id: ClientId
    # Omitted rather than null: the schema says "exactly one of" with oneOf/required, which null would satisfy.
    media_url: HttpUrl | SkipJsonSchema[None] = Field(None, description="URL of the recording (mp4, mp3, m4a).")
    transcript: list[TranscriptTurn] | SkipJsonSchema[None] = Field(
        None, min_length=1, max_length=10_000, description="Turns of an interview transcribed elsewhere."
    )
    language: Language | None = Field(None, description="Language of the interview when known; detected otherwise.")

    model_config = ConfigDict(json_schema_extra={"oneOf": [{"required": ["media_url"]}, {"required": ["transcript"]}]})

    @model_validator(mode="before")
    @classmethod
    def _no_null_sources(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name in ("media_url", "transcript"):
                if name in data and data[name] is None:
                    raise ValueError(f"{name} must not be null; leave it out instead")
        return data

    @model_validator(mode="after")
    def _exactly_one_source(self) -> CreateInterviewRequest:
        given = [name for name in ("media_url", "transcript") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of media_url, transcript (or upload the file as multipart/form-data)")
        if self.transcript is not None and not any(t.speaker == "candidate" for t in self.transcript):
            raise ValueError("transcript has no candidate turn")
        return self


class UploadInterviewForm(Form):
    """The text fields of a multipart upload; the recording itself is the part named ``media``."""

    candidate_id: ClientId
    vacancy_id: ClientId
    language: Language | None = None


class InterviewCreated(Response):
    id: str
    status: InterviewStatus
    created_at: Timestamp


class InterviewError(BaseModel):
    code: str
    message: str


class InterviewDetail(Response):
    id: str
    status: InterviewStatus
    match: Score | None
    report_url: str | None
    scores: dict[str, Score] | None
    candidate_id: str
    vacancy_id: str
    language: str | None
    performance: Score | None
    evidence: Any | None = None
    error: InterviewError | None = None
    created_at: Timestamp
    completed_at: Timestamp | None


class InterviewSummary(BaseModel):
    id: str
    status: InterviewStatus
    match: Score | None


class InterviewList(Response):
    total: int
    items: list[InterviewSummary]


class ListInterviewsQuery(Form):
    status: InterviewStatus | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=2**31 - 1)


class Transcript(Response):
    language: str | None
    turns: list[TranscriptTurn]


# --- candidates and vacancies --------------------------------------------------------------------------------


class CandidateIn(Request):
    name: str | None = Field(None, max_length=300)
    position: str | None = Field(None, max_length=300)
    language: Language | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class Candidate(Response):
    id: str
    name: str | None
    position: str | None
    language: Language | None
    metadata: dict[str, Any]
    created_at: Timestamp
    updated_at: Timestamp


class VacancyIn(Request):
    title: str | None = Field(None, max_length=300)
    language: Language | None = None
    competency_weights: dict[Competency, Annotated[float, Field(ge=0, le=100)]] | None = Field(
        None,
        description="Relative weight of each competency in `match`; omitted ones weigh 0. "
        "No weights, or all zero, means `match` equals `performance`.",
    )
    salary_min: float | None = Field(None, ge=0)
    salary_max: float | None = Field(None, ge=0)
    salary_currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")

    @model_validator(mode="after")
    def _salary_range(self) -> VacancyIn:
        if self.salary_min is not None and self.salary_max is not None and self.salary_max < self.salary_min:
            raise ValueError("salary_max must not be below salary_min")
        return self


class Vacancy(Response):
    id: str
    title: str | None
    language: Language | None
    competency_weights: dict[str, float] | None
    salary_min: float | None
    salary_max: float | None
    salary_currency: str | None
    created_at: Timestamp
    updated_at: Timestamp


class CandidateScore(Response):
    candidate_id: str
    match: Score | None
    scores: dict[str, Score] | None
    interviews_completed: int = Field(description="Completed interviews the scores are the mean of.")


class CandidateName(BaseModel):
    name: str | None
    position: str | None


class CandidateReport(Response):
    candidate: CandidateName
    compatibility: Score | None
    recommendation: Recommendation | None
    strengths: list[str]
    risks: list[str]


class CompareRequest(Request):
    candidate_ids: list[ClientId] = Field(min_length=2, max_length=10, json_schema_extra={"uniqueItems": True})
    criteria: str = Field("match", description=f"One of: {', '.join(COMPARE_CRITERIA)}.")

    @field_validator("candidate_ids")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("candidate ids must be unique")
        return value

    @field_validator("criteria")
    @classmethod
    def _known_criteria(cls, value: str) -> str:
        if value not in COMPARE_CRITERIA:
            raise ValueError(f"unknown criteria '{value}'; one of: {', '.join(COMPARE_CRITERIA)}")
        return value


class RankedCandidate(BaseModel):
    candidate_id: str
    score: Score


class Comparison(Response):
    ranking: list[RankedCandidate]
    report_url: str = Field(description="A signed, expiring link to this comparison as a page people can read.")


# --- culture -------------------------------------------------------------------------------------------------


# All 54 items, spelled out so clients see every item id; the values are checked by ``culture.parse_profile``,
# which names every problem at once (a wrong category count in a Q-sort is not one field's error).
CultureItems = Annotated[
    dict[str, Any],
    WithJsonSchema(
        {
            "type": "object",
            "properties": {i: {"type": "number"} for i in ITEM_IDS},
            "required": list(ITEM_IDS),
            "additionalProperties": False,
        }
    ),
]
CultureMode = Literal["qsort", "rating"]
CultureSource = Literal["qsort", "rating", "interviews"]


class CultureProfileIn(Request):
    mode: CultureMode | SkipJsonSchema[None] = Field(
        None,
        description="`qsort`: every item in a category 1..9 (9 = most characteristic) with 2-4-6-9-12-9-6-4-2 items "
        "per category; `rating`: every item on `scale`. Without it: a rating on [1, 9].",
    )
    scale: list[float] | SkipJsonSchema[None] = Field(
        None, description="Rating mode: [low, high] of the scale, e.g. [1, 5]. Mapped onto 1..9."
    )
    items: CultureItems = Field(description="All 54 items (GET /v1/culture/items) with their category or rating.")


class CultureSurveyIn(CultureProfileIn):
    respondent: ClientId | SkipJsonSchema[None] = Field(
        None,
        description="Your pseudonymous id for the employee (never a name): a second answer under it replaces the "
        "first. Without it every answer counts as a new respondent.",
    )


class LocalizedText(BaseModel):
    ru: str
    en: str


class CultureItemOut(BaseModel):
    id: str
    dimension: str
    text: LocalizedText


class CultureDimensionOut(BaseModel):
    id: str
    name: LocalizedText


class CultureItemList(Response):
    items: list[CultureItemOut]
    dimensions: list[CultureDimensionOut]
    qsort_distribution: list[int] = Field(
        description="Items per Q-sort category, from category 1 (least characteristic) to 9 (most)."
    )


class CultureItemStats(BaseModel):
    mean: float = Field(description="The item's mean on the 1..9 scale over the respondents.")
    spread: float | None = Field(description="Standard deviation over the respondents (None for one).")


class CultureAgreement(BaseModel):
    level: Literal["strong", "moderate", "weak", "none", "unknown"]
    shared_culture: bool | None = Field(
        description="Whether respondents agree enough (mean r ≥ 0.3) to speak of one culture; None below two."
    )
    mean_r: float | None = Field(description="Mean correlation between respondents' profiles.")
    reliability: float | None = Field(description="Spearman-Brown reliability of the mean profile.")
    compared: int = Field(description="Respondents compared (profiles with one rating for everything are left out).")
    summary: str = Field(description="What this means, in the organisation's language.")


class CultureProfile(Response):
    parameters_count: int
    dimensions: dict[str, Score]
    source: Literal["direct", "surveys"] = Field(
        "direct", description="`direct`: set with PUT; `surveys`: the aggregate of employees' answers."
    )
    mode: CultureMode | None = Field(None, description="The mode a direct profile was given in.")
    respondents: int = 1
    items: dict[str, CultureItemStats] = Field(
        default_factory=dict, description="Every item's mean (1..9) and spread over the respondents."
    )
    agreement: CultureAgreement | None = Field(None, description="Agreement between respondents (surveys only).")


class CandidateCultureProfile(Response):
    parameters_count: int
    dimensions: dict[str, Score]
    mode: CultureMode


class CultureSurveyCreated(Response):
    survey_id: str
    respondent: str | None
    replaced: bool = Field(description="Whether it replaced this respondent's earlier answers.")
    profile: CultureProfile


class CultureFitRequest(Request):
    candidate_id: ClientId


class CultureQuoteOut(BaseModel):
    text: str
    item: str = Field(description="The culture item the sentence resembles most.")
    interview_id: str | None


class CultureDimensionFit(BaseModel):
    company: Score
    candidate: Score
    difference: Score


class CultureFit(Response):
    fit_score: Score = Field(description="(r + 1) / 2 for the correlation r of the two 54-item profiles.")
    matches: list[str]
    attention: list[str]
    correlation: float | None = Field(None, description="r itself; None when a profile has no variance.")
    source: CultureSource = Field(
        "qsort",
        description="Where the candidate's profile came from: their own Q-sort or rating, or inferred from what "
        "they said in their scored interviews.",
    )
    confidence: Score = Field(
        1.0, description="1 for the candidate's own answers; at most 0.5 when inferred, growing with what they said."
    )
    dimensions: dict[str, CultureDimensionFit] = Field(default_factory=dict)
    evidence: dict[str, list[CultureQuoteOut]] = Field(
        default_factory=dict, description="Inferred profiles: the candidate's sentences behind each dimension."
    )
    interviews_used: int = 0


# --- webhooks ------------------------------------------------------------------------------------------------


class CreateWebhookRequest(Request):
    url: HttpUrl
    events: list[WebhookEvent] = Field(min_length=1, max_length=len(WEBHOOK_EVENTS))

    @field_validator("events")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class Webhook(BaseModel):
    id: str
    url: str
    events: list[str]
    status: Literal["active", "disabled"] = Field(
        "active", description="`disabled` once the endpoint failed for the whole failure window."
    )
    disabled_reason: str | None = Field(None, description="Why the subscription was disabled; null while active.")
    created_at: Timestamp | SkipJsonSchema[None] = None


class WebhookCreated(Response):
    id: str
    url: str
    events: list[str]
    secret: str = Field(description="Signing secret (whsec_…). Shown only in this response.")


class WebhookList(Response):
    items: list[Webhook]


class Deleted(Response):
    deleted: Literal[True] = True


class CandidateErased(Response):
    deleted: Literal[True] = True
    interviews_erased: int = Field(description="Interviews erased with their transcripts, scores and reports.")
    media_files_erased: int = Field(description="Stored recordings deleted from the media folder.")


# --- errors --------------------------------------------------------------------------------------------------


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any | None = None


class ErrorResponse(BaseModel):
    success: Literal[False] = False
    error: ErrorBody


# --- webhook subscriptions: details, secret rotation, test events and the delivery log ------------------------

WebhookStatus = Literal["active", "disabled"]
DeliveryStatus = Literal["pending", "delivering", "succeeded", "failed"]


class WebhookDetail(Response):
    id: str
    url: str
    events: list[str]
    status: WebhookStatus = Field(description="`disabled` once the endpoint failed for the whole failure window.")
    disabled_reason: str | None = Field(description="Why the subscription was disabled; null while active.")
    created_at: Timestamp


class SecretRotated(Response):
    id: str
    secret: str = Field(
        description="The new signing secret (whsec_…), shown only in this response. The previous secret keeps "
        "signing alongside it for 24 hours."
    )


class WebhookTestSent(Response):
    delivery_id: str = Field(description="Id of the queued `webhook.test` delivery (its `webhook-id` header).")


class DeliveryAttempt(BaseModel):
    attempt: int = Field(description="1 for the first attempt.")
    attempted_at: Timestamp
    status_code: int | None = Field(description="The receiver's HTTP status; null when no answer came.")
    latency_ms: int | None
    error: str | None = Field(description="Why the attempt failed (timeout, redirect, connection error, …).")


class Delivery(BaseModel):
    id: str = Field(description="The message id, sent as the `webhook-id` header; stable across retries.")
    event_type: str
    status: DeliveryStatus
    attempts: int
    created_at: Timestamp
    next_attempt_at: Timestamp | None = Field(description="When the next attempt is due; null unless pending.")
    last_status_code: int | None
    attempts_log: list[DeliveryAttempt] = Field(description="Every attempt, oldest first.")


class DeliveryList(Response):
    total: int
    items: list[Delivery]


class ListDeliveriesQuery(Form):
    status: DeliveryStatus | None = None
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=2**31 - 1)


class Redelivered(Response):
    id: str
    status: Literal["pending"] = "pending"
