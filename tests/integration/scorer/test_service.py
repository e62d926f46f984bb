"""The scorer service end to end on real Kafka and PostgreSQL: a transcript through the gateway, the transcriber
and the scorer, to scores, evidence, the three events and the report, in the organisation's language."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web

from talentmind.competencies import COMPETENCIES
from talentmind.events import parse_event
from talentmind_scorer.app import init_app as init_scorer
from talentmind_transcriber.app import init_app as init_transcriber
from tests.conftest import ROOT, Infra, serve, wait_for
from tests.integration.conftest import Client, Stack, isolated_stack
from tests.integration.kafka_helpers import read_topic
from tests.unit.scoring.test_interview import EN, RU


@pytest_asyncio.fixture(scope="module")
async def pipeline_stack(
    infra: Infra, http: aiohttp.ClientSession, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    async with isolated_stack(infra, http, tmp_path_factory.mktemp("uploads")) as stack:
        runners: list[web.AppRunner] = []
        for init in (init_transcriber, init_scorer):
            app = await init(stack.settings.model_copy(update={"model_cache_dir": ROOT / ".local" / "models"}))
            runners.append((await serve(app))[0])
        try:
            yield stack
        finally:
            for runner in runners:
                await runner.cleanup()


async def completed(client: Client, interview_id: str, timeout_s: float = 60) -> dict[str, Any]:
    body: dict[str, Any] = {}

    async def done() -> bool:
        nonlocal body
        _, body, _ = await client.call("GET", f"/v1/interviews/{interview_id}")
        return bool(body["status"] != "processing")

    await wait_for(done, timeout_s, interval_s=0.3)
    return body


async def submit(client: Client, candidate: str, turns: list[dict[str, Any]], vacancy: str = "pm") -> str:
    status, created, _ = await client.call(
        "POST", "/v1/interviews", json={"candidate_id": candidate, "vacancy_id": vacancy, "transcript": turns}
    )
    assert status == 200, created
    return str(created["id"])


async def test_transcript_to_scores_events_and_report(pipeline_stack: Stack) -> None:
    client = await pipeline_stack.client(language="ru")
    await client.call("PUT", "/v1/candidates/cand_ru", json={"name": "Дмитрий Соколов", "position": "Тимлид"})
    await client.call(
        "PUT",
        "/v1/vacancies/pm",
        json={
            "title": "Тимлид",
            "competency_weights": {"leadership": 2},
            "salary_max": 200000,
            "salary_currency": "RUB",
        },
    )
    turns = [
        *RU,
        {"speaker": "interviewer", "text": "Какие у вас зарплатные ожидания?"},
        {"speaker": "candidate", "text": "Я рассчитываю на 350 тысяч рублей в месяц."},
    ]
    interview_id = await submit(client, "cand_ru", turns)
    body = await completed(client, interview_id)
    assert body["status"] == "completed", body
    assert set(body["scores"]) == set(COMPETENCIES) and all(0 <= v <= 1 for v in body["scores"].values())
    assert 0 <= body["performance"] <= 1 and 0 <= body["match"] <= 1
    assert urlsplit(body["report_url"]).path == f"/r/{interview_id}" and "t=" in body["report_url"]
    leadership = body["evidence"]["leadership"]
    assert leadership["quotes"] and 0 < leadership["confidence"] <= 1
    assert leadership["quotes"][0]["text"] in " ".join(t["text"] for t in RU)

    status, report, _ = await client.call("GET", "/v1/candidates/cand_ru/report")
    assert status == 200 and report["candidate"] == {"name": "Дмитрий Соколов", "position": "Тимлид"}
    assert report["recommendation"] in ("consider", "not_recommended")  # the salary red flag blocks "recommended"
    assert "Высокие зарплатные ожидания" in report["risks"]
    assert report["compatibility"] == body["match"]
    status, score, _ = await client.call("GET", "/v1/candidates/cand_ru/score")
    assert score["scores"] == body["scores"] and score["match"] == body["match"]
    # what the candidate's words say about the culture they value, for a fit inferred from interviews
    signals = await pipeline_stack.pool.fetchval("SELECT culture_signals FROM interviews WHERE id = $1", interview_id)
    assert signals["sentences"] > 0 and len(signals["items"]) == 54
    assert all(q["text"] in " ".join(t["text"] for t in turns) for d in signals["quotes"].values() for q in d)

    settings = pipeline_stack.settings
    for topic in (
        "interview.completed",
        "report.ready",
        "candidate.scored",
    ):
        records = await read_topic(
            settings.kafka_bootstrap,
            settings.topic_prefix + topic,
            timeout_s=20,
            until=lambda rs: any(parse_event(r.value or b"").org_id == client.org_id for r in rs),
        )
        ours = [parse_event(r.value or b"") for r in records]
        ours = [e for e in ours if e.org_id == client.org_id]
        assert len(ours) == 1, (topic, ours)
        assert ours[0].data.interview_id == interview_id


async def test_compare_ranks_scored_candidates(pipeline_stack: Stack) -> None:
    client = await pipeline_stack.client()
    strong = await submit(client, "strong", EN)
    weak = await submit(
        client,
        "weak",
        [
            {"speaker": "interviewer", "text": "Tell me about a time you demonstrated leadership?"},
            {
                "speaker": "candidate",
                "text": "I guess I just did what my manager told me. Someone else made the "
                "decisions, I only followed. I don't really plan.",
            },
        ],
    )
    for interview_id in (strong, weak):
        assert (await completed(client, interview_id))["status"] == "completed"
    status, ranked, _ = await client.call(
        "POST", "/v1/candidates/compare", json={"candidate_ids": ["weak", "strong"], "criteria": "leadership"}
    )
    assert status == 200 and [r["candidate_id"] for r in ranked["ranking"]] == ["strong", "weak"]
    status, report, _ = await client.call("GET", "/v1/candidates/strong/report")
    assert status == 200 and report["recommendation"] in ("recommended", "consider", "not_recommended")


async def test_recording_to_transcript_to_scores_to_events(pipeline_stack: Stack) -> None:
    """The whole path on real Kafka: an uploaded recording is transcribed, scored, and announced."""
    client = await pipeline_stack.client()
    form = aiohttp.FormData()
    form.add_field("candidate_id", "cand_media")
    form.add_field("vacancy_id", "v1")
    form.add_field(
        "media",
        (ROOT / "tests" / "fixtures" / "media" / "en_interview.m4a").read_bytes(),
        filename="interview.m4a",
        content_type="audio/mp4",
    )
    status, created, _ = await client.call("POST", "/v1/interviews", data=form)
    assert status == 200, created
    body = await completed(client, created["id"], timeout_s=120)
    assert body["status"] == "completed" and body["language"] == "en" and len(body["scores"]) == 6
    status, transcript, _ = await client.call("GET", f"/v1/interviews/{created['id']}/transcript")
    assert {t["speaker"] for t in transcript["turns"]} == {"interviewer", "candidate"}
    settings = pipeline_stack.settings
    for topic in ("interview.transcribed", "interview.completed", "candidate.scored", "report.ready"):
        records = await read_topic(
            settings.kafka_bootstrap,
            settings.topic_prefix + topic,
            timeout_s=20,
            until=lambda rs: any(parse_event(r.value or b"").org_id == client.org_id for r in rs),
        )
        ours = [e for e in (parse_event(r.value or b"") for r in records) if e.org_id == client.org_id]
        assert len(ours) == 1 and ours[0].data.interview_id == created["id"], topic
