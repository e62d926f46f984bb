"""Organisation B sees nothing of organisation A: every id of A answers B exactly as an unknown id does."""

from __future__ import annotations

import asyncpg

from tests.integration.conftest import Client, complete_interview


async def test_other_organisation_cannot_read_list_compare_or_delete(
    client: Client, other: Client, pool: asyncpg.Pool
) -> None:
    a = client
    _, created, _ = await a.call(
        "POST",
        "/v1/interviews",
        json={
            "candidate_id": "shared_c1",
            "vacancy_id": "shared_v",
            "transcript": [{"speaker": "candidate", "text": "x"}],
        },
    )
    interview_id = created["id"]
    await a.call(
        "POST",
        "/v1/interviews",
        json={"candidate_id": "shared_c2", "vacancy_id": "shared_v", "media_url": "https://x.io/a.mp3"},
    )
    await complete_interview(pool, interview_id, match=0.9, performance=0.9, scores={"logic": 0.9})
    await a.call("PUT", "/v1/candidates/shared_c1", json={"name": "Secret Name"})
    await a.call("PUT", "/v1/vacancies/shared_v", json={"title": "Secret role"})
    _, hook, _ = await a.call("POST", "/v1/webhooks", json={"url": "https://a.io/h", "events": ["report.ready"]})

    b = other
    for path in (
        f"/v1/interviews/{interview_id}",
        f"/v1/interviews/{interview_id}/transcript",
        "/v1/candidates/shared_c1",
        "/v1/candidates/shared_c1/score",
        "/v1/candidates/shared_c1/report",
        "/v1/vacancies/shared_v",
    ):
        status, body, _ = await b.call("GET", path)
        unknown_status, unknown_body, _ = await b.call(
            "GET", path.replace("shared_", "nope_").replace(interview_id, "int_000000000000")
        )
        assert (status, body) == (unknown_status, unknown_body) and status == 404, path

    assert (await b.call("GET", "/v1/interviews"))[1] == {"success": True, "total": 0, "items": []}
    assert (await b.call("GET", "/v1/webhooks"))[1] == {"success": True, "items": []}
    status, body, _ = await b.call("POST", "/v1/candidates/compare", json={"candidate_ids": ["shared_c1", "shared_c2"]})
    assert status == 400 and "shared_c1" in body["error"]["message"]
    assert (await b.call("DELETE", f"/v1/webhooks/{hook['id']}"))[0] == 404
    assert (await b.call("POST", "/v1/culture/fit", json={"candidate_id": "shared_c1"}))[0] == 404
    assert (await b.call("PUT", "/v1/candidates/shared_c1/culture-preferences", json={"items": {}}))[0] == 400

    # B writing under the same client ids creates B's own records and leaves A's untouched.
    await b.call("PUT", "/v1/candidates/shared_c1", json={"name": "B's candidate"})
    assert (await a.call("GET", "/v1/candidates/shared_c1"))[1]["name"] == "Secret Name"
    assert (await a.call("GET", "/v1/webhooks"))[1]["items"][0]["id"] == hook["id"]
    assert (await a.call("GET", "/v1/interviews"))[1]["total"] == 2
