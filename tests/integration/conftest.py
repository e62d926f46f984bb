"""Fixtures of the integration tests: the gateway on a real socket against the session's PostgreSQL and Kafka, and API
clients of separate organisations."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
import pytest_asyncio

from talentmind import topics
from talentmind.db.organizations import create_key, get_or_create_org
from talentmind.db.pool import create_pool
from talentmind.devstack import postgres as local_pg
from talentmind.kafka.admin import ensure_topics
from talentmind.settings import Settings
from talentmind_gateway.app import init_app
from tests.conftest import Infra, new_database, serve, stack_settings, wait_for


@dataclass
class Client:
    """An API client of one organisation: real HTTP to the gateway with its Bearer key."""

    http: aiohttp.ClientSession
    base: str
    key: str
    org_id: str

    async def call(
        self, method: str, path: str, *, json: Any = None, headers: dict[str, str] | None = None, **kw: Any
    ) -> tuple[int, Any, aiohttp.ClientResponse]:
        hdrs = {"Authorization": f"Bearer {self.key}", **(headers or {})}
        async with self.http.request(method, self.base + path, json=json, headers=hdrs, **kw) as resp:
            body = await resp.json(content_type=None)
            return resp.status, body, resp


NewClient = Callable[..., Awaitable[Client]]


@dataclass
class Stack:
    """A gateway serving one test stack (its database, its topics), and clients of new organisations."""

    settings: Settings
    pool: asyncpg.Pool
    http: aiohttp.ClientSession
    base: str

    async def client(self, language: str = "en") -> Client:
        async with self.pool.acquire() as conn, conn.transaction():
            org = await get_or_create_org(conn, f"org-{secrets.token_hex(4)}", language)
            _, key = await create_key(conn, org.id)
        return Client(self.http, self.base, key.secret, org.id)


@asynccontextmanager
async def open_stack(
    settings: Settings,
    pool: asyncpg.Pool,
    http: aiohttp.ClientSession,
    media_dir: Path,
    gateway_settings: dict[str, Any] | None = None,
) -> AsyncIterator[Stack]:
    await ensure_topics(settings.kafka_bootstrap, [settings.topic_prefix + t for t in topics.all_topics()])
    app = await init_app(
        settings.model_copy(
            update={
                "media_dir": media_dir,
                "rate_limit_burst": 100_000,
                "rate_limit_per_minute": 6_000_000,
                # Tests of 401s share 127.0.0.1: the per-IP failure limit is tested on a gateway of its own.
                "auth_failures_burst": 100_000,
                "auth_failures_per_minute": 6_000_000,
                **(gateway_settings or {}),
            }
        )
    )
    runner, base = await serve(app)
    try:
        yield Stack(settings.model_copy(update={"media_dir": media_dir}), pool, http, base)
    finally:
        await runner.cleanup()


@pytest_asyncio.fixture(scope="session")
async def stack(
    settings: Settings,
    kafka_topics: list[str],
    pool: asyncpg.Pool,
    http: aiohttp.ClientSession,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Stack]:
    async with open_stack(settings, pool, http, tmp_path_factory.mktemp("media")) as opened:
        yield opened


@pytest_asyncio.fixture(scope="session")
async def gateway(stack: Stack) -> str:
    return stack.base


@pytest_asyncio.fixture(scope="session")
async def new_client(stack: Stack) -> NewClient:
    return stack.client


@asynccontextmanager
async def isolated_stack(
    infra: Infra, http: aiohttp.ClientSession, media_dir: Path, gateway_settings: dict[str, Any] | None = None
) -> AsyncIterator[Stack]:
    """A stack with a database and topics of its own: for services whose consumers must not see the events that
    other tests left on the session's topics. ``gateway_settings``: overrides for its gateway only."""
    name, dsn = new_database(infra)
    settings = stack_settings(infra, dsn)
    pool = await create_pool(settings)
    try:
        async with open_stack(settings, pool, http, media_dir, gateway_settings) as opened:
            yield opened
    finally:
        await pool.close()
        local_pg.drop_database(infra.admin_dsn, name)


@pytest_asyncio.fixture
async def client(new_client: NewClient) -> Client:
    return await new_client()


@pytest_asyncio.fixture
async def other(new_client: NewClient) -> Client:
    return await new_client()


async def complete_interview(
    pool: asyncpg.Pool, interview_id: str, *, match: float, performance: float, scores: dict[str, float]
) -> None:
    """What the scorer will do (issue #5), written straight to the database to give the API results to serve."""
    await pool.execute(
        "UPDATE interviews SET status = 'completed', match = $2, performance = $3, scores = $4, completed_at = now() "
        "WHERE id = $1",
        interview_id,
        match,
        performance,
        scores,
    )


async def wait_until_failed(client: Client, interview_id: str, timeout_s: float = 120.0) -> dict[str, Any]:
    """Poll ``GET /v1/interviews/{id}`` until the interview is ``failed``; its body."""
    body: dict[str, Any] = {}

    async def failed() -> bool:
        nonlocal body
        _, body, _ = await client.call("GET", f"/v1/interviews/{interview_id}")
        return bool(body["status"] == "failed")

    await wait_for(failed, timeout_s=timeout_s, interval_s=0.2)
    return body
