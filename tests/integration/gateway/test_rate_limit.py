"""Per-key rate limiting answers 429 with Retry-After, and only for the key that exceeded it."""

from __future__ import annotations

import aiohttp

from talentmind.settings import Settings
from talentmind_gateway.app import init_app
from tests.conftest import serve
from tests.integration.conftest import Client, NewClient


async def test_burst_then_429_with_retry_after(
    settings: Settings, new_client: NewClient, http: aiohttp.ClientSession
) -> None:
    app = await init_app(settings.model_copy(update={"rate_limit_burst": 5, "rate_limit_per_minute": 6}))
    runner, base = await serve(app)
    try:
        noisy, quiet = await new_client(), await new_client()
        noisy, quiet = Client(http, base, noisy.key, noisy.org_id), Client(http, base, quiet.key, quiet.org_id)
        statuses = [(await noisy.call("GET", "/v1/interviews"))[0] for _ in range(5)]
        assert statuses == [200] * 5
        status, body, resp = await noisy.call("GET", "/v1/interviews")
        assert status == 429 and body["error"]["code"] == "rate_limited"
        assert 1 <= int(resp.headers["Retry-After"]) <= 10
        assert (await quiet.call("GET", "/v1/interviews"))[0] == 200
    finally:
        await runner.cleanup()
