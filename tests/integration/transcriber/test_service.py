"""The transcriber service end to end: gateway → Kafka → transcriber → PostgreSQL → API, with recordings served
by a real local HTTP server (URL variant) or uploaded (multipart), and every failure path of the media."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
import pytest_asyncio
from aiohttp import web

from talentmind.events import InterviewRequested, InterviewRequestedData
from talentmind.netsafety import TargetPolicy, parse_networks
from talentmind_transcriber.app import PIPELINE, init_app
from talentmind_transcriber.handlers import FetchLimits, InterviewTranscription
from talentmind_transcriber.pipeline import TranscriptionPipeline
from tests.conftest import ROOT, Infra, serve, wait_for
from tests.integration.conftest import Client, Stack, isolated_stack

MEDIA = ROOT / "tests" / "fixtures" / "media"


class MediaServer:
    def __init__(self) -> None:
        self.base = ""
        self.hits: dict[str, int] = {}
        self.fail_first: dict[str, int] = {}

    def app(self) -> web.Application:
        async def media(request: web.Request) -> web.StreamResponse:
            name = request.match_info["name"]
            self.hits[name] = self.hits.get(name, 0) + 1
            if self.fail_first.get(name, 0) >= self.hits[name]:
                return web.Response(status=503, text="try later")
            path = MEDIA / name
            if not path.exists():
                return web.Response(status=404, text="no such recording")
            return web.FileResponse(path)

        app = web.Application()
        app.router.add_get("/media/{name}", media)
        return app


@pytest_asyncio.fixture(scope="module")
async def media_server() -> AsyncIterator[MediaServer]:
    server = MediaServer()
    runner, server.base = await serve(server.app())
    yield server
    await runner.cleanup()


@dataclass
class Transcriber:
    app: web.Application
    base: str

    def __getitem__(self, key: Any) -> Any:
        return self.app[key]


@pytest_asyncio.fixture(scope="module")
async def tstack(
    infra: Infra, http: aiohttp.ClientSession, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    # The recordings are served from 127.0.0.1: the gateway's submission check must allow it, as the transcriber's does.
    loopback = {"allowed_private_networks": ["127.0.0.1/32"]}
    async with isolated_stack(infra, http, tmp_path_factory.mktemp("uploads"), loopback) as opened:
        yield opened


@pytest_asyncio.fixture(scope="module")
async def transcriber(tstack: Stack) -> AsyncIterator[Transcriber]:
    """The transcriber service (model, consumer group, outbox relay) running against the session's stack."""
    app = await init_app(
        tstack.settings.model_copy(
            update={
                "allowed_private_networks": ["127.0.0.1/32"],
                "model_cache_dir": ROOT / ".local" / "models",
                "media_fetch_attempts": 3,
            }
        )
    )
    runner, base = await serve(app)
    yield Transcriber(app, base)
    await runner.cleanup()


async def wait_done(client: Client, interview_id: str, timeout_s: float = 120) -> dict[str, Any]:
    body: dict[str, Any] = {}

    async def finished() -> bool:
        nonlocal body
        _, body, _ = await client.call("GET", f"/v1/interviews/{interview_id}")
        return bool(body["status"] != "processing") or await _has_transcript(client, interview_id)

    await wait_for(finished, timeout_s, interval_s=0.5)
    return body


async def _has_transcript(client: Client, interview_id: str) -> bool:
    status, _, _ = await client.call("GET", f"/v1/interviews/{interview_id}/transcript")
    return status == 200


async def test_url_interview_gets_a_transcript_with_roles(
    transcriber: Transcriber, media_server: MediaServer, tstack: Stack
) -> None:
    client = await tstack.client()
    status, created, _ = await client.call(
        "POST",
        "/v1/interviews",
        json={"candidate_id": "c1", "vacancy_id": "v1", "media_url": f"{media_server.base}/media/ru_interview.mp3"},
    )
    assert status == 200
    await wait_done(client, created["id"])
    status, transcript, _ = await client.call("GET", f"/v1/interviews/{created['id']}/transcript")
    assert status == 200 and transcript["language"] == "ru"
    assert [t["speaker"] for t in transcript["turns"]][:2] == ["interviewer", "candidate"]
    assert all(set(t) == {"speaker", "start", "end", "text"} for t in transcript["turns"])
    assert "проект" in transcript["turns"][0]["text"].lower()
    async with aiohttp.ClientSession() as http, http.get(transcriber.base + "/metrics") as resp:
        exposition = await resp.text()
    for metric in (
        "talentmind_transcriber_audio_seconds_total",
        "talentmind_transcriber_job_seconds_count",
        "talentmind_transcriber_real_time_factor_count",
    ):
        value = next(line for line in exposition.splitlines() if line.startswith(metric))
        assert float(value.split()[-1]) > 0, value


async def test_uploaded_interview_gets_a_transcript(transcriber: Transcriber, tstack: Stack) -> None:
    client = await tstack.client()
    form = aiohttp.FormData()
    form.add_field("candidate_id", "c2")
    form.add_field("vacancy_id", "v1")
    form.add_field("language", "en")
    form.add_field("media", (MEDIA / "stereo_interview.m4a").read_bytes(), filename="x.m4a", content_type="audio/mp4")
    status, created, _ = await client.call("POST", "/v1/interviews", data=form)
    assert status == 200, created
    await wait_done(client, created["id"])
    status, transcript, _ = await client.call("GET", f"/v1/interviews/{created['id']}/transcript")
    assert status == 200 and transcript["language"] == "en"
    assert [t["speaker"] for t in transcript["turns"]] == ["interviewer", "candidate", "interviewer", "candidate"]


async def test_bad_media_fails_the_interview_with_a_code(
    transcriber: Transcriber, media_server: MediaServer, tstack: Stack
) -> None:
    client = await tstack.client()
    cases = {"missing.mp3": "media_not_found", "not_media.mp3": "not_media", "video_only.mp4": "no_audio_track"}
    ids = {}
    for name in cases:
        _, created, _ = await client.call(
            "POST",
            "/v1/interviews",
            json={"candidate_id": "c3", "vacancy_id": "v1", "media_url": f"{media_server.base}/media/{name}"},
        )
        ids[name] = created["id"]
    for name, code in cases.items():
        body = await wait_done(client, ids[name])
        assert body["status"] == "failed" and body["error"]["code"] == code, body


# --- the handler against the real database, for policies the shared service does not use -------------------


def event_for(interview_id: str, org_id: str, url: str) -> InterviewRequested:
    return InterviewRequested(
        org_id=org_id,
        data=InterviewRequestedData(
            interview_id=interview_id, candidate_id="c", vacancy_id="v", source="url", media_url=url
        ),
    )


async def new_interview(pool: asyncpg.Pool, client: Client, url: str) -> InterviewRequested:
    interview_id = f"int_{secrets.token_hex(6)}"
    await pool.execute(
        "INSERT INTO interviews (id, org_id, candidate_id, vacancy_id, source, media_url) "
        "VALUES ($1, $2, 'c', 'v', 'url', $3)",
        interview_id,
        client.org_id,
        url,
    )
    return event_for(interview_id, client.org_id, url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/media/en_interview.mp3",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/media/x.mp3",
        "http://localhost:{port}/media/en_interview.mp3",
    ],
)
async def test_ssrf_targets_fail_without_a_request(
    transcriber: Transcriber, media_server: MediaServer, tstack: Stack, url: str
) -> None:
    client, pool = await tstack.client(), tstack.pool
    port = media_server.base.rsplit(":", 1)[1]
    before = sum(media_server.hits.values())
    strict = FetchLimits(policy=TargetPolicy(), max_bytes=10_000_000, total_timeout_s=10, attempts=2)
    event = await new_interview(pool, client, url.format(port=port))
    await InterviewTranscription(pool, transcriber[PIPELINE], strict).process(event)
    row = await pool.fetchrow("SELECT status, error_code FROM interviews WHERE id = $1", event.data.interview_id)
    assert (row["status"], row["error_code"]) == ("failed", "ssrf_blocked")
    assert sum(media_server.hits.values()) == before
    failed = await pool.fetchval(
        "SELECT count(*) FROM outbox WHERE key = $1 AND topic = 'interview.failed'", event.data.interview_id
    )
    assert failed == 1


async def test_transient_errors_are_retried_then_succeed_or_fail(
    transcriber: Transcriber,
    media_server: MediaServer,
    tstack: Stack,
    tmp_path: Path,
) -> None:
    client, pool = await tstack.client(), tstack.pool
    pipeline: TranscriptionPipeline = transcriber[PIPELINE]
    limits = FetchLimits(
        policy=TargetPolicy(allowed_networks=parse_networks(["127.0.0.1/32"])),
        max_bytes=10_000_000,
        total_timeout_s=10,
        attempts=3,
        backoff_initial_s=0.05,
    )
    media_server.fail_first["stereo_interview.m4a"] = 2  # 503, 503, then the file
    ok = await new_interview(pool, client, f"{media_server.base}/media/stereo_interview.m4a")
    await InterviewTranscription(pool, pipeline, limits).process(ok)
    assert media_server.hits["stereo_interview.m4a"] == 3
    assert await pool.fetchval("SELECT count(*) FROM transcripts WHERE interview_id = $1", ok.data.interview_id) == 1

    media_server.fail_first["ru_interview.m4a"] = 99  # never recovers
    doomed = await new_interview(pool, client, f"{media_server.base}/media/ru_interview.m4a")
    await InterviewTranscription(pool, pipeline, limits).process(doomed)
    row = await pool.fetchrow("SELECT status, error_code FROM interviews WHERE id = $1", doomed.data.interview_id)
    assert (row["status"], row["error_code"]) == ("failed", "media_server_error")
    assert media_server.hits["ru_interview.m4a"] == 3

    # The same event again (a redelivery) changes nothing.
    await InterviewTranscription(pool, pipeline, limits).process(ok)
    assert (
        await pool.fetchval(
            "SELECT count(*) FROM outbox WHERE key = $1 AND topic = 'interview.transcribed'", ok.data.interview_id
        )
        == 1
    )
    await asyncio.sleep(0)
