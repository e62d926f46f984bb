"""A transcriber killed in the middle of a transcription: the job is redelivered and finishes exactly once."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import sys
from pathlib import Path

import aiohttp

from talentmind.db.outbox import enqueue
from talentmind.events import InterviewRequested, InterviewRequestedData
from talentmind.settings import Settings
from tests.conftest import ROOT, Infra, free_port, serve, wait_for
from tests.integration.conftest import Stack, isolated_stack
from tests.integration.transcriber.test_service import MEDIA, MediaServer


async def start_transcriber(settings: Settings) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "TM_DATABASE_URL": settings.database_url,
        "TM_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
        "TM_TOPIC_PREFIX": settings.topic_prefix,
        "TM_TRANSCRIBER_PORT": str(free_port()),
        "TM_MODEL_CACHE_DIR": str(ROOT / ".local" / "models"),
        "TM_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.1/32"]',
        "TM_LOG_FORMAT": "json",
        "TM_ASR_CPU_THREADS": "1",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "talentmind_transcriber.main", env=env, cwd=ROOT, stderr=asyncio.subprocess.PIPE
    )


async def wait_log(proc: asyncio.subprocess.Process, message: str, interview_id: str, timeout_s: float = 120) -> None:
    assert proc.stderr is not None

    async def scan() -> None:
        assert proc.stderr is not None
        while line := await proc.stderr.readline():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("message") == message and record.get("interview_id") == interview_id:
                return
        raise AssertionError(f"transcriber exited before logging {message!r}")

    await asyncio.wait_for(scan(), timeout_s)


async def test_killed_mid_transcription_finishes_once(
    infra: Infra, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    async with isolated_stack(infra, http, tmp_path) as stack:
        await _killed_mid_transcription_finishes_once(stack)


async def _killed_mid_transcription_finishes_once(stack: Stack) -> None:
    settings, pool = stack.settings, stack.pool
    client = await stack.client()
    server = MediaServer()
    runner, server.base = await serve(server.app())
    interview_id = f"int_{secrets.token_hex(6)}"
    url = f"{server.base}/media/{'en_interview.mp3' if (MEDIA / 'en_interview.mp3').exists() else 'x'}"
    event = InterviewRequested(
        org_id=client.org_id,
        data=InterviewRequestedData(
            interview_id=interview_id, candidate_id="c", vacancy_id="v", source="url", media_url=url, language="en"
        ),
    )
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(
            "INSERT INTO interviews (id, org_id, candidate_id, vacancy_id, source, media_url) "
            "VALUES ($1, $2, 'c', 'v', 'url', $3)",
            interview_id,
            client.org_id,
            url,
        )
        await enqueue(conn, event)

    first = await start_transcriber(settings)
    survivor = None
    try:
        await wait_log(first, "transcription started", interview_id)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        assert await pool.fetchval("SELECT count(*) FROM transcripts WHERE interview_id = $1", interview_id) == 0

        survivor = await start_transcriber(settings)
        await wait_log(survivor, "interview transcribed", interview_id, timeout_s=180)

        async def announced() -> bool:
            return bool(
                await pool.fetchval(
                    "SELECT count(*) FROM outbox WHERE key = $1 AND topic = 'interview.transcribed'", interview_id
                )
            )

        await wait_for(announced, 30)
        await asyncio.sleep(2)  # room for a wrong second run to show up
        assert await pool.fetchval("SELECT count(*) FROM transcripts WHERE interview_id = $1", interview_id) == 1
        assert (
            await pool.fetchval(
                "SELECT count(*) FROM outbox WHERE key = $1 AND topic = 'interview.transcribed'", interview_id
            )
            == 1
        )
    finally:
        for proc in (first, survivor):
            if proc is not None and proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
                await proc.wait()
        await runner.cleanup()
