"""PostgreSQL stopped under a running gateway: requests answer 503 with Retry-After (not a 500 with a traceback), and
the gateway serves again by itself once the database is back. A real cluster of this test's own is stopped and
started, so no other test sees the outage."""

from __future__ import annotations

import asyncio
import logging
import secrets
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from talentmind.db.migrate import migrate
from talentmind.db.pool import create_pool
from talentmind.devstack import postgres as local_pg
from tests.conftest import TEST_LOCAL_DIR, Infra, free_port, stack_settings, wait_for
from tests.integration.conftest import Client, open_stack


@pytest_asyncio.fixture
async def own_cluster() -> AsyncIterator[tuple[Path, int, str]]:
    root = TEST_LOCAL_DIR / f"pg-outage-{secrets.token_hex(3)}"
    port = free_port()
    admin = await asyncio.to_thread(local_pg.ensure_cluster, root, port)
    try:
        dsn = await asyncio.to_thread(local_pg.ensure_database, admin, "talentmind")
        await asyncio.to_thread(migrate, dsn)
        yield root, port, dsn
    finally:
        await asyncio.to_thread(local_pg.stop_cluster, root)
        shutil.rmtree(root, ignore_errors=True)


async def test_a_database_outage_is_a_503_with_retry_after(
    infra: Infra,
    http: aiohttp.ClientSession,
    own_cluster: tuple[Path, int, str],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    root, port, dsn = own_cluster
    settings = stack_settings(infra, dsn).model_copy(update={"db_connect_timeout_s": 2.0})
    pool = await create_pool(settings)
    async with open_stack(settings, pool, http, tmp_path) as stack:
        client: Client = await stack.client()
        await pool.close()  # the test's own pool; the gateway keeps its own
        status, body, _ = await client.call("PUT", "/v1/candidates/c-before", json={"name": "A"})
        assert status == 200, body

        await asyncio.to_thread(local_pg.stop_cluster, root)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="talentmind_gateway.middlewares"):
            for method, path, payload in (
                ("PUT", "/v1/candidates/c-during", {"name": "B"}),
                ("GET", "/v1/candidates/c-before", None),
                ("GET", "/v1/interviews", None),
            ):
                status, body, resp = await client.call(method, path, json=payload)
                assert status == 503, body
                assert body["success"] is False and body["error"]["code"] == "service_unavailable"
                assert int(resp.headers["Retry-After"]) > 0
        records = [r for r in caplog.records if r.getMessage() == "database unavailable"]
        assert len(records) == 3 and all(r.exc_info is None for r in records)

        await asyncio.to_thread(local_pg.ensure_cluster, root, port)

        async def serves_again() -> bool:
            status, _, _ = await client.call("PUT", "/v1/candidates/c-after", json={"name": "C"})
            return status == 200

        await wait_for(serves_again, timeout_s=60.0, interval_s=0.5)
        status, body, _ = await client.call("GET", "/v1/candidates/c-before")
        assert status == 200 and body["name"] == "A"
        status, _, _ = await client.call("GET", "/v1/candidates/c-during")
        assert status == 404  # the request that answered 503 wrote nothing
