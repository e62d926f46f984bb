"""The asyncpg pool every service uses, with JSON codecs so ``jsonb`` columns read and write Python objects."""

from __future__ import annotations

import json

import asyncpg
import asyncpg.pool

from talentmind.settings import Settings

Pool = asyncpg.Pool
# What queries run on: a plain connection, or one borrowed from the pool (``async with pool.acquire()``).
Connection = asyncpg.Connection | asyncpg.pool.PoolConnectionProxy
# Either of those, or the pool itself for single statements.
Executor = Connection | asyncpg.Pool


async def _init_connection(conn: asyncpg.Connection) -> None:
    for typename in ("json", "jsonb"):
        await conn.set_type_codec(typename, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def create_pool(settings: Settings, *, dsn: str | None = None) -> Pool:
    pool = await asyncpg.create_pool(
        dsn or settings.database_url,
        min_size=settings.db_pool_min,
        max_size=settings.db_pool_max,
        timeout=settings.db_connect_timeout_s,
        init=_init_connection,
    )
    assert pool is not None
    return pool


async def ping(pool: Pool) -> None:
    async with pool.acquire() as conn:
        await conn.fetchval("SELECT 1")
