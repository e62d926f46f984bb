"""No interview stays processing: past its stage's deadline the sweeper re-queues it a bounded number of times, then
fails it with ``timed_out`` (issue 10). Real PostgreSQL and Kafka, the dispatcher's own sweeper, no transcriber or
scorer running (as if their events had been lost)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest_asyncio

from talentmind.interview_deadlines import TIMED_OUT_CODE
from talentmind_dispatcher.app import init_app as init_dispatcher
from tests.conftest import Infra, serve
from tests.integration.conftest import Stack, isolated_stack, wait_until_failed
from tests.unit.scoring.test_interview import EN


@pytest_asyncio.fixture
async def stack(infra: Infra, http: aiohttp.ClientSession, tmp_path: Path) -> AsyncIterator[Stack]:
    async with isolated_stack(infra, http, tmp_path) as opened:
        settings = opened.settings.model_copy(
            update={
                "transcription_deadline_s": 1.0,
                "scoring_deadline_s": 1.0,
                "sweeper_interval_s": 0.2,
                "max_requeues": 1,
            }
        )
        runner, _ = await serve(await init_dispatcher(settings))
        try:
            yield opened
        finally:
            await runner.cleanup()


async def _events(stack: Stack, topic: str, interview_id: str) -> int:
    async with stack.pool.acquire() as conn:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE topic = $1 AND payload->'data'->>'interview_id' = $2",
            topic,
            interview_id,
        )
    return count


async def test_an_interview_waiting_for_each_stage_is_requeued_then_timed_out(stack: Stack) -> None:
    client = await stack.client()
    _, by_url, _ = await client.call(
        "POST",
        "/v1/interviews",
        json={"candidate_id": "c1", "vacancy_id": "v", "media_url": "https://cdn.acme.io/a.mp4"},
    )
    _, typed, _ = await client.call(
        "POST", "/v1/interviews", json={"candidate_id": "c2", "vacancy_id": "v", "transcript": EN}
    )
    for created, stage_topic in ((by_url, "interview.requested"), (typed, "interview.transcribed")):
        body = await wait_until_failed(client, created["id"])
        assert body["error"]["code"] == TIMED_OUT_CODE, body
        # Re-queued once through its stage's event (the typed transcript is past transcription), then failed once.
        assert await _events(stack, stage_topic, created["id"]) == (2 if stage_topic == "interview.requested" else 1)
        assert await _events(stack, "interview.failed", created["id"]) == 1
        async with stack.pool.acquire() as conn:
            assert await conn.fetchval("SELECT requeues FROM interviews WHERE id = $1", created["id"]) == 1
