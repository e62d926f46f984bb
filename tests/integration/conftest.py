"""Fixtures of the integration tests: the gateway on a real socket against the session's PostgreSQL and Kafka, and API
clients of separate organisations."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
import pytest_asyncio

from talentmind.db.organizations import create_key, get_or_create_org
from talentmind.settings import Settings
from talentmind_gateway.app import init_app
from tests.conftest import serve


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


@pytest_asyncio.fixture(scope="session")
async def gateway(
    settings: Settings, kafka_topics: list[str], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    media_dir: Path = tmp_path_factory.mktemp("media")
    app = await init_app(
        settings.model_copy(
            update={"media_dir": media_dir, "rate_limit_burst": 100_000, "rate_limit_per_minute": 6_000_000}
        )
    )
    runner, base = await serve(app)
    yield base
    await runner.cleanup()


NewClient = Callable[..., Awaitable[Client]]


@pytest_asyncio.fixture(scope="session")
async def new_client(pool: asyncpg.Pool, http: aiohttp.ClientSession, gateway: str) -> NewClient:
    async def make(language: str = "en") -> Client:
        async with pool.acquire() as conn, conn.transaction():
            org = await get_or_create_org(conn, f"org-{secrets.token_hex(4)}", language)
            _, key = await create_key(conn, org.id)
        return Client(http, gateway, key.secret, org.id)

    return make


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
