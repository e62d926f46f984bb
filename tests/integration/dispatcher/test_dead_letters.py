"""A dead-lettered pipeline event fails its interview: nothing stays ``processing`` for good (issue 10). Real Kafka,
real PostgreSQL, the dispatcher's dead-letter consumer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest_asyncio

from talentmind.events import InterviewRequested, InterviewRequestedData
from talentmind.kafka.producer import Producer
from talentmind.topics import INTERVIEW_REQUESTED, dead_letter
from talentmind_dispatcher.app import init_app as init_dispatcher
from talentmind_dispatcher.dead_letters import DEAD_LETTERED_CODE
from tests.conftest import Infra, serve
from tests.integration.conftest import Stack, isolated_stack, wait_until_failed
from tests.unit.scoring.test_interview import EN


@pytest_asyncio.fixture
async def stack(infra: Infra, http: aiohttp.ClientSession, tmp_path: Path) -> AsyncIterator[Stack]:
    async with isolated_stack(infra, http, tmp_path) as opened:
        runner, _ = await serve(await init_dispatcher(opened.settings))
        try:
            yield opened
        finally:
            await runner.cleanup()


async def test_a_dead_lettered_request_fails_its_interview(stack: Stack) -> None:
    client = await stack.client()
    status, created, _ = await client.call(
        "POST", "/v1/interviews", json={"candidate_id": "c-dl", "vacancy_id": "v-dl", "transcript": EN}
    )
    assert status == 200, created
    interview_id = created["id"]
    # No transcriber or scorer runs here: as if its consumer had given up on the event for its own fault.
    event = InterviewRequested(
        org_id=client.org_id,
        data=InterviewRequestedData(
            interview_id=interview_id, candidate_id="c-dl", vacancy_id="v-dl", source="transcript"
        ),
    )
    producer = Producer(stack.settings.kafka_bootstrap, topic_prefix=stack.settings.topic_prefix)
    await producer.start()
    try:
        headers = {"x-dlq-reason": "gave up: test", "x-dlq-attempts": "3"}
        await (await producer.send_raw(dead_letter(INTERVIEW_REQUESTED), key=event.key(), value=event.to_json(),
                                       headers=headers))  # fmt: skip
        # Undecodable bytes on the dead-letter topic are logged and skipped, never dead-lettered again.
        await (await producer.send_raw(dead_letter(INTERVIEW_REQUESTED), key="junk", value=b"\x00junk"))
    finally:
        await producer.stop()

    body = await wait_until_failed(client, interview_id)
    assert body["error"]["code"] == DEAD_LETTERED_CODE, body
    async with stack.pool.acquire() as conn:
        outbox = await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE topic = 'interview.failed' AND payload->'data'->>'interview_id' = $1",
            interview_id,
        )
    assert outbox == 1
