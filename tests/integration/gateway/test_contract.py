"""Every endpoint of the contract answers with its documented shape, against the real database and broker."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import asyncpg

from talentmind import culture
from talentmind.events import parse_event
from talentmind.settings import Settings
from tests.integration.conftest import Client, complete_interview
from tests.integration.kafka_helpers import read_topic

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
SCORES = {
    "leadership": 0.8,
    "communication": 0.7,
    "empathy": 0.6,
    "logic": 0.9,
    "planning": 0.5,
    "stress_tolerance": 0.4,
}


def cid() -> str:
    return f"cand_{secrets.token_hex(3)}"


async def submit(client: Client, candidate: str | None = None, vacancy: str = "ui-engineer") -> str:
    status, body, _ = await client.call(
        "POST",
        "/v1/interviews",
        json={
            "candidate_id": candidate or cid(),
            "vacancy_id": vacancy,
            "media_url": "https://cdn.acme.io/int-204.mp4",
        },
    )
    assert status == 200, body
    return str(body["id"])


async def test_upload_interview_by_url_answers_the_contract_shape_and_emits_one_event(
    client: Client, settings: Settings
) -> None:
    status, body, _ = await client.call(
        "POST",
        "/v1/interviews",
        json={"candidate_id": "cand_4f21", "vacancy_id": "ui-engineer", "media_url": "https://cdn.acme.io/int-204.mp4"},
    )
    assert status == 200
    assert set(body) == {"success", "id", "status", "created_at"}
    assert body["success"] is True and body["status"] == "processing"
    assert body["id"].startswith("int_") and TIMESTAMP.match(body["created_at"])

    records = await read_topic(
        settings.kafka_bootstrap,
        settings.topic_prefix + "interview.requested",
        timeout_s=20,
        until=lambda rs: any(r.key == body["id"].encode() for r in rs),
    )
    ours = [parse_event(r.value or b"") for r in records if r.key == body["id"].encode()]
    assert len(ours) == 1
    event = ours[0]
    assert event.org_id == client.org_id
    assert event.data.model_dump() == {
        "interview_id": body["id"],
        "candidate_id": "cand_4f21",
        "vacancy_id": "ui-engineer",
        "source": "url",
        "media_url": "https://cdn.acme.io/int-204.mp4",
        "language": None,
    }


async def test_get_interview_processing_then_completed(client: Client, pool: asyncpg.Pool) -> None:
    interview_id = await submit(client)
    status, body, _ = await client.call("GET", f"/v1/interviews/{interview_id}")
    assert status == 200
    assert {"success", "id", "status", "match", "report_url", "scores"} <= set(body)
    assert (body["status"], body["match"], body["scores"], body["report_url"]) == ("processing", None, None, None)

    await complete_interview(pool, interview_id, match=0.88, performance=0.8, scores=SCORES)
    status, body, _ = await client.call("GET", f"/v1/interviews/{interview_id}")
    assert body["status"] == "completed" and body["match"] == 0.88 and body["scores"] == SCORES
    report_url = urlsplit(body["report_url"])
    assert report_url.path == f"/r/{interview_id}" and parse_qs(report_url.query)["t"]
    assert TIMESTAMP.match(body["completed_at"])

    status, body, _ = await client.call("GET", "/v1/interviews/int_nope")
    assert status == 404 and body["success"] is False and body["error"]["code"] == "not_found"


async def test_list_pagination_newest_first_and_status_filter(new_client, pool: asyncpg.Pool) -> None:  # type: ignore[no-untyped-def]
    client = await new_client()
    ids = [await submit(client) for _ in range(5)]
    newest_first = list(reversed(ids))
    status, body, _ = await client.call("GET", "/v1/interviews")
    assert status == 200 and body["total"] == 5 and [i["id"] for i in body["items"]] == newest_first
    assert all(set(i) == {"id", "status", "match"} for i in body["items"])

    pages = []
    for offset in (0, 2, 4):
        _, page, _ = await client.call("GET", f"/v1/interviews?limit=2&offset={offset}")
        assert page["total"] == 5
        pages += [i["id"] for i in page["items"]]
    assert pages == newest_first

    await complete_interview(pool, ids[1], match=0.5, performance=0.5, scores=SCORES)
    _, done, _ = await client.call("GET", "/v1/interviews", params={"status": "completed"})
    assert done["total"] == 1 and done["items"] == [{"id": ids[1], "status": "completed", "match": 0.5}]
    _, processing, _ = await client.call("GET", "/v1/interviews?status=processing&limit=100")
    assert processing["total"] == 4 and ids[1] not in [i["id"] for i in processing["items"]]
    _, failed, _ = await client.call("GET", "/v1/interviews?status=failed")
    assert failed == {"success": True, "total": 0, "items": []}


async def test_transcript_variant_stores_turns_and_serves_them(client: Client, settings: Settings) -> None:
    turns = [
        {"speaker": "interviewer", "text": "Расскажите о проекте.", "start": 0.0, "end": 2.5},
        {"speaker": "candidate", "text": "Я руководил командой из пяти человек.", "start": 2.7, "end": 6.1},
    ]
    status, body, _ = await client.call(
        "POST",
        "/v1/interviews",
        json={"candidate_id": cid(), "vacancy_id": "pm", "transcript": turns, "language": "ru"},
    )
    assert status == 200, body
    status, transcript, _ = await client.call("GET", f"/v1/interviews/{body['id']}/transcript")
    assert status == 200
    assert transcript == {"success": True, "language": "ru", "turns": turns}

    url_interview = await submit(client)
    status, body, _ = await client.call("GET", f"/v1/interviews/{url_interview}/transcript")
    assert status == 409 and body["error"]["code"] == "transcript_not_ready"
    status, body, _ = await client.call("GET", "/v1/interviews/int_missing/transcript")
    assert status == 404


async def test_multipart_upload_stores_the_file(client: Client, pool: asyncpg.Pool) -> None:
    audio = b"ID3" + secrets.token_bytes(50_000)
    form = aiohttp.FormData()
    form.add_field("candidate_id", "cand_up")
    form.add_field("vacancy_id", "vac_up")
    form.add_field("media", audio, filename="int.mp3", content_type="audio/mpeg")
    status, body, _ = await client.call("POST", "/v1/interviews", data=form)
    assert status == 200, body
    row = await pool.fetchrow("SELECT source, media_path, media_content_type FROM interviews WHERE id = $1", body["id"])
    assert row["source"] == "upload" and row["media_content_type"] == "audio/mpeg"
    assert Path(row["media_path"]).read_bytes() == audio


async def test_candidates_and_vacancies(client: Client) -> None:
    status, body, _ = await client.call(
        "PUT",
        "/v1/candidates/cand_4f21",
        json={
            "name": "Дмитрий Соколов",
            "position": "Старший менеджер проектов",
            "language": "ru",
            "metadata": {"ats_id": 42},
        },
    )
    assert status == 200 and body["name"] == "Дмитрий Соколов" and body["metadata"] == {"ats_id": 42}
    status, got, _ = await client.call("GET", "/v1/candidates/cand_4f21")
    assert status == 200 and got == body

    status, vac, _ = await client.call(
        "PUT",
        "/v1/vacancies/ui-engineer",
        json={
            "title": "UI Engineer",
            "language": "en",
            "competency_weights": {"communication": 2, "logic": 1},
            "salary_min": 100000,
            "salary_max": 150000,
            "salary_currency": "RUB",
        },
    )
    assert status == 200 and vac["competency_weights"] == {"communication": 2, "logic": 1}
    assert (await client.call("GET", "/v1/vacancies/ui-engineer"))[1] == vac
    assert (await client.call("GET", "/v1/vacancies/nope"))[0] == 404
    assert (await client.call("GET", "/v1/candidates/nope"))[0] == 404


async def test_candidate_score_report_and_compare(client: Client, pool: asyncpg.Pool) -> None:
    a, b, c = cid(), cid(), cid()
    await client.call("PUT", f"/v1/candidates/{a}", json={"name": "Anna", "position": "PM"})
    ia1, ia2, ib = await submit(client, a), await submit(client, a), await submit(client, b)
    await submit(client, c)  # still processing

    status, body, _ = await client.call("GET", f"/v1/candidates/{a}/score")
    assert status == 200 and body == {
        "success": True,
        "candidate_id": a,
        "match": None,
        "scores": None,
        "interviews_completed": 0,
    }

    await complete_interview(pool, ia1, match=0.8, performance=0.7, scores={**SCORES, "leadership": 0.9})
    await complete_interview(pool, ia2, match=0.6, performance=0.5, scores={**SCORES, "leadership": 0.7})
    await complete_interview(pool, ib, match=0.75, performance=0.9, scores={**SCORES, "leadership": 0.95})
    status, body, _ = await client.call("GET", f"/v1/candidates/{a}/score")
    assert body["match"] == 0.7 and body["scores"]["leadership"] == 0.8 and body["interviews_completed"] == 2
    assert set(body) >= {"success", "candidate_id", "match", "scores"}

    status, report, _ = await client.call("GET", f"/v1/candidates/{a}/report")
    assert status == 200
    assert set(report) == {"success", "candidate", "compatibility", "recommendation", "strengths", "risks"}
    assert report["candidate"] == {"name": "Anna", "position": "PM"} and report["compatibility"] == 0.7

    status, ranked, _ = await client.call(
        "POST", "/v1/candidates/compare", json={"candidate_ids": [a, b], "criteria": "leadership"}
    )
    assert status == 200 and {k: v for k, v in ranked.items() if k != "report_url"} == {
        "success": True,
        "ranking": [{"candidate_id": b, "score": 0.95}, {"candidate_id": a, "score": 0.8}],
    }
    # An addition beside the contract's ranking: the same comparison as a page, behind a signed link.
    assert urlsplit(ranked["report_url"]).path == "/r/compare" and "t=" in ranked["report_url"]
    _, by_match, _ = await client.call("POST", "/v1/candidates/compare", json={"candidate_ids": [a, b]})
    assert [r["candidate_id"] for r in by_match["ranking"]] == [b, a]

    status, err, _ = await client.call("POST", "/v1/candidates/compare", json={"candidate_ids": [a, c]})
    assert status == 400 and c in err["error"]["message"] and a not in err["error"]["message"]
    status, err, _ = await client.call("POST", "/v1/candidates/compare", json={"candidate_ids": [a, "ghost"]})
    assert status == 400 and "ghost" in err["error"]["message"]
    status, err, _ = await client.call(
        "POST", "/v1/candidates/compare", json={"candidate_ids": [a, b], "criteria": "charisma"}
    )
    assert status == 400 and "charisma" in err["error"]["message"]
    assert (await client.call("GET", "/v1/candidates/ghost/score"))[0] == 404
    assert (await client.call("GET", "/v1/candidates/ghost/report"))[0] == 404


def _profile(shift: int = 0) -> dict[str, int]:
    return {item: (i + shift) % 9 + 1 for i, item in enumerate(culture.ITEM_IDS)}


async def test_culture_profile_and_fit(new_client) -> None:  # type: ignore[no-untyped-def]
    client = await new_client(language="ru")
    status, body, _ = await client.call("GET", "/v1/culture/profile")
    assert status == 404 and body["error"]["code"] == "culture_profile_not_found"

    status, body, _ = await client.call("PUT", "/v1/culture/profile", json={"items": _profile()})
    assert status == 200 and body["parameters_count"] == 54
    assert list(body["dimensions"]) == list(culture.DIMENSIONS)
    assert (await client.call("GET", "/v1/culture/profile"))[1] == body

    candidate = cid()
    await client.call("PUT", f"/v1/candidates/{candidate}", json={"name": "Иван"})
    status, body, _ = await client.call("POST", "/v1/culture/fit", json={"candidate_id": candidate})
    assert status == 409 and body["error"]["code"] == "candidate_culture_unknown"
    status, _, _ = await client.call(
        "PUT", f"/v1/candidates/{candidate}/culture-preferences", json={"items": _profile()}
    )
    assert status == 200
    status, fit, _ = await client.call("POST", "/v1/culture/fit", json={"candidate_id": candidate})
    assert status == 200 and {"success", "fit_score", "matches", "attention"} <= set(fit)
    assert fit["fit_score"] == 1.0 and fit["attention"] == []
    assert all(re.search("[а-яА-Я]", phrase) for phrase in fit["matches"])  # the organisation's language
    assert (await client.call("POST", "/v1/culture/fit", json={"candidate_id": "ghost"}))[0] == 404


async def test_webhooks_create_list_delete(client: Client) -> None:
    status, body, _ = await client.call(
        "POST",
        "/v1/webhooks",
        json={"url": "https://acme.io/hooks/talentmind", "events": ["interview.completed", "report.ready"]},
    )
    assert status == 200 and set(body) == {"success", "id", "url", "events", "secret"}
    assert body["id"].startswith("wh_") and body["secret"].startswith("whsec_")
    assert body["events"] == ["interview.completed", "report.ready"]
    status, listed, _ = await client.call("GET", "/v1/webhooks")
    assert listed == {
        "success": True,
        "items": [
            {
                "id": body["id"],
                "url": "https://acme.io/hooks/talentmind",
                "events": ["interview.completed", "report.ready"],
                "status": "active",
                "disabled_reason": None,
                "created_at": listed["items"][0]["created_at"],
            }
        ],
    }
    assert (await client.call("DELETE", f"/v1/webhooks/{body['id']}"))[1] == {"success": True, "deleted": True}
    assert (await client.call("DELETE", f"/v1/webhooks/{body['id']}"))[0] == 404
    assert (await client.call("GET", "/v1/webhooks"))[1]["items"] == []
