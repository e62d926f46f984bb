import re

from talentmind_gateway.openapi import build_spec
from talentmind_gateway.routes import ENDPOINTS, documented_methods

# Every operation of the contract (../shared/api/talentmind-api-v1.txt): method, path, operationId.
CONTRACT = {
    ("POST", "/v1/interviews", "uploadInterview"),
    ("GET", "/v1/interviews/{id}", "getInterview"),
    ("GET", "/v1/interviews", "listInterviews"),
    ("GET", "/v1/candidates/{id}/score", "getCandidateScore"),
    ("GET", "/v1/candidates/{id}/report", "getCandidateReport"),
    ("POST", "/v1/candidates/compare", "compareCandidates"),
    ("GET", "/v1/culture/profile", "getCultureProfile"),
    ("POST", "/v1/culture/fit", "getCultureFit"),
    ("POST", "/v1/webhooks", "createWebhook"),
    ("GET", "/v1/webhooks", "listWebhooks"),
    ("DELETE", "/v1/webhooks/{id}", "deleteWebhook"),
}


def test_spec_is_openapi_31_with_every_contract_operation() -> None:
    spec = build_spec("http://127.0.0.1:8080")
    assert spec["openapi"] == "3.1.0"
    found = {(m.upper(), path, op["operationId"]) for path, ops in spec["paths"].items() for m, op in ops.items()}
    assert found >= CONTRACT
    assert len(found) == len(ENDPOINTS)


def test_every_reference_resolves_and_every_operation_documents_its_errors() -> None:
    spec = build_spec()
    schemas = spec["components"]["schemas"]
    text = repr(spec)
    for ref in set(re.findall(r"#/components/schemas/([\w.-]+)", text)):
        assert ref in schemas, ref
    for ops in spec["paths"].values():
        for op in ops.values():
            assert {"200", "400", "401", "429"} <= set(op["responses"])
            assert "ErrorResponse" in repr(op["responses"]["401"])


def test_contract_field_names_in_the_schemas() -> None:
    schemas = build_spec()["components"]["schemas"]
    assert set(schemas["InterviewCreated"]["properties"]) == {"success", "id", "status", "created_at"}
    assert {"success", "id", "status", "match", "report_url", "scores"} <= set(schemas["InterviewDetail"]["properties"])
    assert set(schemas["InterviewList"]["properties"]) == {"success", "total", "items"}
    assert {"success", "fit_score", "matches", "attention"} <= set(schemas["CultureFit"]["properties"])
    assert set(schemas["Comparison"]["properties"]) == {"success", "ranking", "report_url"}  # report_url: an addition
    status = schemas["InterviewSummary"]["properties"]["status"]
    assert set(status["enum"]) == {"processing", "completed", "failed"}


def test_documented_methods_prefer_literal_routes() -> None:
    assert documented_methods("/v1/candidates/compare") == ["POST"]
    assert set(documented_methods("/v1/candidates/cand_1")) == {"PUT", "GET", "DELETE"}
    assert set(documented_methods("/v1/interviews")) == {"POST", "GET"}
