"""Liveness that does not lie: when a long-running task of a service dies (the outbox relay, a consumer, a webhook
delivery worker), ``/healthz`` and ``/readyz`` answer 503 naming it, so the orchestrator restarts the process. Real
services on real sockets, against a stack of their own (PostgreSQL, Kafka)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest_asyncio
from aiohttp import web

from talentmind.runtime import TASKS
from talentmind_dispatcher.app import init_app as dispatcher_app
from tests.conftest import Infra, serve, wait_for
from tests.integration.conftest import Stack, isolated_stack


@pytest_asyncio.fixture
async def own_stack(infra: Infra, http: aiohttp.ClientSession, tmp_path: Path) -> AsyncIterator[Stack]:
    async with isolated_stack(infra, http, tmp_path) as stack:
        yield stack


async def _get(http: aiohttp.ClientSession, url: str) -> tuple[int, dict[str, Any]]:
    async with http.get(url) as resp:
        return resp.status, await resp.json()


async def test_a_dead_task_fails_liveness_and_readiness(own_stack: Stack, http: aiohttp.ClientSession) -> None:
    app: web.Application = await dispatcher_app(own_stack.settings)
    runner, base = await serve(app)
    try:

        async def ready() -> bool:
            return (await _get(http, f"{base}/readyz"))[0] == 200

        await wait_for(ready, timeout_s=120.0, interval_s=0.2)
        status, body = await _get(http, f"{base}/healthz")
        assert status == 200 and body["status"] == "ok"
        tasks = app[TASKS]
        assert {"outbox-relay", "worker-0"} <= set(tasks) and any(n.startswith("consumer-") for n in tasks)

        tasks["worker-0"].cancel()  # a delivery worker gone, as if it had crashed

        async def broken() -> bool:
            return (await _get(http, f"{base}/healthz"))[0] == 503

        await wait_for(broken, timeout_s=30.0)
        status, body = await _get(http, f"{base}/healthz")
        assert body["status"] == "broken" and body["dead_tasks"] == ["worker-0"]
        status, body = await _get(http, f"{base}/readyz")
        assert status == 503 and body["checks"]["task:worker-0"] == "dead"
        assert body["checks"]["task:outbox-relay"] == "ok"
    finally:
        await runner.cleanup()
