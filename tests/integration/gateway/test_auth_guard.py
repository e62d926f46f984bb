"""Before any database work: a flood of invalid API keys from one address gets 429, and a key found invalid is
refused from memory. Counted with the gateway's own metrics on a real socket."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import aiohttp
import pytest_asyncio

from talentmind.settings import Settings
from talentmind.telemetry import metrics
from talentmind_gateway.app import init_app
from tests.conftest import serve
from tests.integration.conftest import Client, Stack

BURST = 5


@pytest_asyncio.fixture
async def guarded(stack: Stack, settings: Settings) -> AsyncIterator[str]:
    """A gateway of its own (the session's one lifts the limit for the suite's many 401 tests)."""
    app = await init_app(
        settings.model_copy(
            update={
                "media_dir": stack.settings.media_dir,
                "auth_failures_burst": BURST,
                "auth_failures_per_minute": 1,  # one token back per minute: no refill during the test
                "invalid_key_cache_s": 600,
            }
        )
    )
    runner, base = await serve(app)
    try:
        yield base
    finally:
        await runner.cleanup()


def lookups() -> float:
    return float(metrics.AUTH_LOOKUPS._value.get())


async def test_invalid_keys_are_limited_per_address_before_the_database(
    guarded: str, client: Client, http: aiohttp.ClientSession
) -> None:
    good = Client(http, guarded, client.key, client.org_id)
    status, _, _ = await good.call("GET", "/v1/interviews")
    assert status == 200

    before = lookups()
    repeated = Client(http, guarded, "tm_" + secrets.token_hex(16), client.org_id)
    for _ in range(3):
        status, body, _ = await repeated.call("GET", "/v1/interviews")
        assert status == 401 and body["error"]["code"] == "unauthorized"
    assert lookups() == before + 1  # asked the database once, then refused from memory

    statuses = []
    for _ in range(10):
        stranger = Client(http, guarded, "tm_" + secrets.token_hex(16), client.org_id)
        status, body, resp = await stranger.call("GET", "/v1/interviews")
        statuses.append(status)
        if status == 429:
            assert int(resp.headers["Retry-After"]) >= 1 and body["error"]["code"] == "rate_limited"
    # 3 failures were spent above; the burst allows 2 more, then the address is limited.
    assert statuses == [401] * (BURST - 3) + [429] * (10 - (BURST - 3))
    assert lookups() == before + 1 + (BURST - 3)  # limited requests never reached the database

    # The limit is per address: while it lasts, a valid key from the same address waits too (documented).
    status, _, _ = await good.call("GET", "/v1/interviews")
    assert status == 429
