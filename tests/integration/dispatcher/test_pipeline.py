"""The whole platform on real Kafka: a transcript in through the API comes out as three signed webhooks
(interview.completed, candidate.scored, report.ready) at the organisation's endpoint, and nowhere else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from standardwebhooks.webhooks import Webhook

from talentmind_dispatcher.app import init_app as init_dispatcher
from talentmind_scorer.app import init_app as init_scorer
from talentmind_transcriber.app import init_app as init_transcriber
from tests.conftest import ROOT, Infra, serve, wait_for
from tests.integration.conftest import Stack, isolated_stack
from tests.integration.dispatcher.test_delivery import Receiver, subscribe
from tests.unit.scoring.test_interview import EN


@pytest_asyncio.fixture(scope="module")
async def platform(
    infra: Infra, http: aiohttp.ClientSession, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    async with isolated_stack(infra, http, tmp_path_factory.mktemp("uploads")) as stack:
        settings = stack.settings.model_copy(
            update={
                "model_cache_dir": ROOT / ".local" / "models",
                "allowed_private_networks": ["127.0.0.1/32"],
                "webhook_retry_schedule_s": [0.0, 0.1, 0.2],
                "dispatcher_poll_interval_s": 0.1,
            }
        )
        runners: list[web.AppRunner] = []
        for init in (init_transcriber, init_scorer, init_dispatcher):
            runners.append((await serve(await init(settings)))[0])
        try:
            yield stack
        finally:
            for runner in runners:
                await runner.cleanup()


async def test_transcript_in_signed_webhooks_out(platform: Stack) -> None:
    receiver = Receiver()
    runner, receiver.base = await serve(receiver.app())
    try:
        client, bystander = await platform.client(), await platform.client()
        _, secret = await subscribe(
            platform.pool,
            client,
            f"{receiver.base}/hooks/ats",
            ["interview.completed", "candidate.scored", "report.ready"],
        )
        await subscribe(
            platform.pool,
            bystander,
            f"{receiver.base}/hooks/bystander",
            ["interview.completed", "candidate.scored", "report.ready"],
        )
        status, created, _ = await client.call(
            "POST", "/v1/interviews", json={"candidate_id": "cand_hook", "vacancy_id": "v1", "transcript": EN}
        )
        assert status == 200

        async def three() -> bool:
            return len(receiver.of("ats")) >= 3

        await wait_for(three, 60, interval_s=0.2)
        events = {}
        for _, headers, body in receiver.of("ats"):
            message = Webhook(secret).verify(body, headers)
            events[message["type"]] = message
        assert set(events) == {"interview.completed", "candidate.scored", "report.ready"}
        completed = events["interview.completed"]["data"]
        _, api_view, _ = await client.call("GET", f"/v1/interviews/{created['id']}")
        # The API's own fields; report_url carries a fresh token each time, so only its page is the same.
        assert {k: v for k, v in completed.items() if k != "report_url"} == {
            k: v for k, v in api_view.items() if k not in ("success", "report_url")
        }
        assert urlsplit(completed["report_url"]).path == urlsplit(api_view["report_url"]).path
        assert events["candidate.scored"]["data"]["candidate_id"] == "cand_hook"
        # The webhook's link is the API's link (both signed for this interview; issued at different seconds).
        report_url = urlsplit(events["report.ready"]["data"]["report_url"])
        assert report_url.path == urlsplit(api_view["report_url"]).path == f"/r/{created['id']}"
        assert parse_qs(report_url.query)["t"]
        assert receiver.of("bystander") == []
    finally:
        await runner.cleanup()
