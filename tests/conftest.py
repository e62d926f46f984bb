"""Test infrastructure: a real PostgreSQL and a real Apache Kafka broker for the whole test session.

The session reuses servers that ``TM_DATABASE_URL`` / ``TM_KAFKA_BOOTSTRAP`` point at when they answer, otherwise it
starts private ones under ``.local/test`` on their own ports (the same code as ``make up``), and stops what it
started at the end. With ``TM_TEST_CONTAINERS=1`` and a reachable Docker daemon it uses testcontainers instead.
Every session gets a fresh database and a fresh topic prefix, so runs never see each other's data.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import asyncpg
import pytest
import pytest_asyncio
from aiohttp import web
from pydantic import SecretStr

from talentmind import topics
from talentmind.db.migrate import migrate
from talentmind.db.pool import create_pool
from talentmind.devstack import kafka as local_kafka
from talentmind.devstack import postgres as local_pg
from talentmind.kafka.admin import ensure_topics
from talentmind.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TEST_LOCAL_DIR = Path(os.environ.get("TM_TEST_LOCAL_DIR") or ROOT / ".local" / "test")
TEST_PG_PORT = int(os.environ.get("TM_TEST_PG_PORT", "25433"))
TEST_KAFKA_PORT = int(os.environ.get("TM_TEST_KAFKA_PORT", "29192"))


@dataclass(frozen=True)
class Infra:
    admin_dsn: str
    kafka_bootstrap: str


def _containers() -> Iterator[Infra]:
    from testcontainers.kafka import KafkaContainer
    from testcontainers.postgres import PostgresContainer

    with (
        PostgresContainer("postgres:16", driver=None) as pg,
        KafkaContainer("apache/kafka:4.1.1").with_kraft() as kf,
    ):
        yield Infra(pg.get_connection_url(), kf.get_bootstrap_server())


def _local() -> Iterator[Infra]:
    started_pg = started_kafka = False
    admin_dsn = os.environ.get("TM_DATABASE_URL")
    if not (admin_dsn and local_pg.reachable(admin_dsn)):
        started_pg = not local_pg.reachable(local_pg.dsn_for(TEST_PG_PORT, "postgres"))
        admin_dsn = local_pg.ensure_cluster(TEST_LOCAL_DIR / "postgres", TEST_PG_PORT)
    bootstrap = os.environ.get("TM_KAFKA_BOOTSTRAP")
    if not (bootstrap and local_kafka.reachable(bootstrap)):
        started_kafka = not local_kafka.reachable(f"127.0.0.1:{TEST_KAFKA_PORT}")
        bootstrap = local_kafka.ensure_broker(
            TEST_LOCAL_DIR / "kafka",
            ROOT / "deploy" / "kafka" / "pom.xml",
            port=TEST_KAFKA_PORT,
            controller_port=TEST_KAFKA_PORT + 1,
        )
    try:
        yield Infra(admin_dsn, bootstrap)
    finally:
        if started_kafka and not os.environ.get("TM_TEST_KEEP_INFRA"):
            local_kafka.stop_broker(TEST_LOCAL_DIR / "kafka")
        if started_pg and not os.environ.get("TM_TEST_KEEP_INFRA"):
            local_pg.stop_cluster(TEST_LOCAL_DIR / "postgres")


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    source = _containers if os.environ.get("TM_TEST_CONTAINERS") == "1" else _local
    yield from source()


def new_database(infra: Infra) -> tuple[str, str]:
    """A fresh, migrated database: (name, DSN)."""
    name = f"tm_test_{secrets.token_hex(4)}"
    dsn = local_pg.ensure_database(infra.admin_dsn, name)
    migrate(dsn)
    return name, dsn


@pytest.fixture(scope="session")
def database_url(infra: Infra) -> Iterator[str]:
    """A fresh, migrated database for this test session."""
    name, dsn = new_database(infra)
    yield dsn
    local_pg.drop_database(infra.admin_dsn, name)


def stack_settings(infra: Infra, database_url: str) -> Settings:
    """Settings of one test stack: its own database and its own topic prefix, so that stacks (and their outbox
    relays and consumer groups) never see each other's events."""
    return Settings(
        database_url=database_url,
        kafka_bootstrap=infra.kafka_bootstrap,
        topic_prefix=f"t{secrets.token_hex(3)}.",
        consumer_backoff_initial_s=0.05,
        consumer_backoff_max_s=0.2,
        consumer_max_attempts=3,
        outbox_poll_interval_s=0.2,
        local_dir=TEST_LOCAL_DIR,
        log_format="text",
        report_link_secret=SecretStr(secrets.token_urlsafe(32)),
    )


@pytest.fixture(scope="session")
def settings(infra: Infra, database_url: str) -> Settings:
    return stack_settings(infra, database_url)


@pytest_asyncio.fixture(scope="session")
async def kafka_topics(settings: Settings) -> list[str]:
    names = [settings.topic_prefix + t for t in topics.all_topics()]
    await ensure_topics(settings.kafka_bootstrap, names, partitions=3)
    return names


@pytest_asyncio.fixture(scope="session")
async def pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(settings)
    yield pool
    await pool.close()


@pytest_asyncio.fixture(scope="session")
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    """Serve ``app`` on a real socket at 127.0.0.1 with a free port; return the runner and its base URL."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


async def wait_for(predicate_coro: object, timeout_s: float = 20.0, interval_s: float = 0.1) -> None:
    """Poll an async predicate (a zero-argument coroutine function) until it is truthy."""
    assert callable(predicate_coro)
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        if await predicate_coro():
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout_s}s")
        await asyncio.sleep(interval_s)
