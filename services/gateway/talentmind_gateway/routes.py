"""The gateway's route table. Each endpoint names its view and the pydantic models it reads and answers with;
``setup_routes`` registers the views and ``openapi.build_spec`` documents the same table."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Handler
from pydantic import BaseModel

from talentmind.api import models as m
from talentmind_gateway.pages.render import STATIC_DIR
from talentmind_gateway.views import candidates, culture, docs, interviews, reports, vacancies, webhooks


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    view: Handler
    operation_id: str
    summary: str
    tag: str
    response: type[BaseModel]
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    errors: tuple[int, ...] = ()
    upload: type[BaseModel] | None = None  # also accepts multipart/form-data with these fields + a `media` file
    idempotent: bool = False  # creates something: honours an Idempotency-Key header
    description: str = ""


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "POST",
        "/v1/interviews",
        interviews.create_view,
        "uploadInterview",
        "Submit an interview recording (URL or upload) or transcript for analysis",
        "Interviews",
        m.InterviewCreated,
        body=m.CreateInterviewRequest,
        upload=m.UploadInterviewForm,
        errors=(400, 409, 413, 415),
        idempotent=True,
    ),
    Endpoint(
        "GET",
        "/v1/interviews",
        interviews.list_view,
        "listInterviews",
        "List interviews, newest first",
        "Interviews",
        m.InterviewList,
        query=m.ListInterviewsQuery,
        errors=(400,),
    ),
    Endpoint(
        "GET",
        "/v1/interviews/{id}",
        interviews.get_view,
        "getInterview",
        "Status and result of an interview",
        "Interviews",
        m.InterviewDetail,
        errors=(404,),
    ),
    Endpoint(
        "GET",
        "/v1/interviews/{id}/transcript",
        interviews.transcript_view,
        "getInterviewTranscript",
        "The transcript with speaker roles and timestamps",
        "Interviews",
        m.Transcript,
        errors=(404, 409),
    ),
    Endpoint(
        "PUT",
        "/v1/candidates/{id}",
        candidates.put_view,
        "putCandidate",
        "Create or replace a candidate",
        "Candidates",
        m.Candidate,
        body=m.CandidateIn,
        errors=(400, 413, 415),
    ),
    Endpoint(
        "GET",
        "/v1/candidates/{id}",
        candidates.get_view,
        "getCandidate",
        "A candidate",
        "Candidates",
        m.Candidate,
        errors=(404,),
    ),
    Endpoint(
        "DELETE",
        "/v1/candidates/{id}",
        candidates.delete_view,
        "deleteCandidate",
        "Erase a candidate and everything about them (interviews, recordings, transcripts, scores, reports)",
        "Candidates",
        m.CandidateErased,
        errors=(404,),
    ),
    Endpoint(
        "GET",
        "/v1/candidates/{id}/score",
        candidates.score_view,
        "getCandidateScore",
        "Soft-skill scores of a candidate (mean over completed interviews)",
        "Candidates",
        m.CandidateScore,
        errors=(404,),
    ),
    Endpoint(
        "GET",
        "/v1/candidates/{id}/report",
        candidates.report_view,
        "getCandidateReport",
        "The candidate's report",
        "Candidates",
        m.CandidateReport,
        errors=(404,),
    ),
    Endpoint(
        "PUT",
        "/v1/candidates/{id}/culture-preferences",
        culture.put_candidate_preferences_view,
        "putCandidateCulturePreferences",
        "The candidate's own culture profile: a Q-sort or a rating of the 54 items",
        "Culture",
        m.CandidateCultureProfile,
        body=m.CultureProfileIn,
        errors=(400, 404, 413, 415),
    ),
    Endpoint(
        "POST",
        "/v1/candidates/compare",
        candidates.compare_view,
        "compareCandidates",
        "Rank 2 to 10 candidates by a criterion",
        "Candidates",
        m.Comparison,
        body=m.CompareRequest,
        errors=(400, 413, 415),
    ),
    Endpoint(
        "PUT",
        "/v1/vacancies/{id}",
        vacancies.put_view,
        "putVacancy",
        "Create or replace a vacancy",
        "Vacancies",
        m.Vacancy,
        body=m.VacancyIn,
        errors=(400, 413, 415),
    ),
    Endpoint(
        "GET",
        "/v1/vacancies/{id}",
        vacancies.get_view,
        "getVacancy",
        "A vacancy",
        "Vacancies",
        m.Vacancy,
        errors=(404,),
    ),
    Endpoint(
        "GET",
        "/v1/culture/items",
        culture.items_view,
        "listCultureItems",
        "The 54 culture items, their dimensions and the Q-sort distribution",
        "Culture",
        m.CultureItemList,
    ),
    Endpoint(
        "POST",
        "/v1/culture/surveys",
        culture.create_survey_view,
        "createCultureSurvey",
        "One employee's answers: the company profile becomes the aggregate of all answers so far",
        "Culture",
        m.CultureSurveyCreated,
        body=m.CultureSurveyIn,
        errors=(400, 409, 413, 415),
        idempotent=True,
    ),
    Endpoint(
        "GET",
        "/v1/culture/profile",
        culture.get_profile_view,
        "getCultureProfile",
        "The company's culture profile",
        "Culture",
        m.CultureProfile,
        errors=(404,),
    ),
    Endpoint(
        "PUT",
        "/v1/culture/profile",
        culture.put_profile_view,
        "putCultureProfile",
        "Set the company's culture profile outright (a Q-sort or a rating of the 54 items; clears survey answers)",
        "Culture",
        m.CultureProfile,
        body=m.CultureProfileIn,
        errors=(400, 413, 415),
    ),
    Endpoint(
        "POST",
        "/v1/culture/fit",
        culture.fit_view,
        "getCultureFit",
        "Culture fit of a candidate with the company",
        "Culture",
        m.CultureFit,
        body=m.CultureFitRequest,
        errors=(400, 404, 409, 413, 415),
    ),
    Endpoint(
        "POST",
        "/v1/webhooks",
        webhooks.create_view,
        "createWebhook",
        "Subscribe to events",
        "Webhooks",
        m.WebhookCreated,
        body=m.CreateWebhookRequest,
        errors=(400, 409, 413, 415),
        idempotent=True,
    ),
    Endpoint(
        "GET",
        "/v1/webhooks",
        webhooks.list_view,
        "listWebhooks",
        "List webhook subscriptions",
        "Webhooks",
        m.WebhookList,
    ),
    Endpoint(
        "GET",
        "/v1/webhooks/{id}",
        webhooks.get_view,
        "getWebhook",
        "A subscription (its status; never its secret)",
        "Webhooks",
        m.WebhookDetail,
        errors=(404,),
    ),
    Endpoint(
        "DELETE",
        "/v1/webhooks/{id}",
        webhooks.delete_view,
        "deleteWebhook",
        "Delete a subscription",
        "Webhooks",
        m.Deleted,
        errors=(404,),
    ),
    Endpoint(
        "POST",
        "/v1/webhooks/{id}/rotate-secret",
        webhooks.rotate_secret_view,
        "rotateWebhookSecret",
        "Replace the signing secret; the previous one keeps signing alongside it for 24 hours",
        "Webhooks",
        m.SecretRotated,
        errors=(400, 404, 409, 413, 415),
        idempotent=True,
        description="Takes no body (an empty JSON object is accepted). Deliveries carry one signature per valid "
        "secret in `webhook-signature` until the previous secret expires.",
    ),
    Endpoint(
        "POST",
        "/v1/webhooks/{id}/test",
        webhooks.send_test_view,
        "testWebhook",
        "Send a `webhook.test` event to the subscription",
        "Webhooks",
        m.WebhookTestSent,
        errors=(400, 404, 409, 413, 415),
        description="Takes no body (an empty JSON object is accepted). Sent whichever events the subscription "
        "selected; 409 `webhook_disabled` for a disabled subscription.",
    ),
    Endpoint(
        "GET",
        "/v1/webhooks/{id}/deliveries",
        webhooks.deliveries_view,
        "listWebhookDeliveries",
        "The delivery log of a subscription, newest first, with every attempt",
        "Webhooks",
        m.DeliveryList,
        query=m.ListDeliveriesQuery,
        errors=(400, 404),
    ),
    Endpoint(
        "POST",
        "/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver",
        webhooks.redeliver_view,
        "redeliverWebhookDelivery",
        "Send a delivery again (same id, so the same `webhook-id`)",
        "Webhooks",
        m.Redelivered,
        errors=(400, 404, 409, 413, 415),
        description="Takes no body (an empty JSON object is accepted). 409 `delivery_in_flight` while an attempt "
        "is in progress, `webhook_disabled` for a disabled subscription.",
    ),
)


def documented_methods(path: str) -> list[str]:
    """The methods the API documents for a concrete path (a literal route wins over a templated one)."""
    literal = [ep.method for ep in ENDPOINTS if ep.path == path]
    if literal:
        return literal
    return [ep.method for ep in ENDPOINTS if _template_matches(ep.path, path)]


def _template_matches(template: str, path: str) -> bool:
    parts, wanted = template.split("/"), path.split("/")
    return len(parts) == len(wanted) and all(
        p == w or (p.startswith("{") and w) for p, w in zip(parts, wanted, strict=True)
    )


def setup_routes(app: web.Application) -> None:
    for endpoint in ENDPOINTS:
        app.router.add_route(endpoint.method, endpoint.path, endpoint.view)
    app.router.add_get("/v1/openapi.json", docs.openapi_view)
    app.router.add_get("/docs", docs.docs_view)
    app.router.add_static("/docs/static", docs.SWAGGER_UI_DIR)
    # The report pages people open from report_url: not part of /v1 (no API key; a signed token instead).
    app.router.add_static("/r/static", STATIC_DIR)
    app.router.add_get("/r/compare", reports.comparison_view)
    app.router.add_get("/r/c/{candidate_id}", reports.candidate_view)
    app.router.add_get("/r/{interview_id}", reports.interview_view)
