"""Idempotency-Key: a retry returns the first answer and creates nothing new; reuse for another body is 409."""

from __future__ import annotations

import asyncio
import secrets

import asyncpg

from tests.integration.conftest import Client

BODY = {"candidate_id": "cand_idem", "vacancy_id": "v", "media_url": "https://cdn.acme.io/a.mp4"}


async def _interviews(pool: asyncpg.Pool, org_id: str) -> list[str]:
    return [r["id"] for r in await pool.fetch("SELECT id FROM interviews WHERE org_id = $1", org_id)]


async def _events(pool: asyncpg.Pool, interview_id: str) -> int:
    return int(await pool.fetchval("SELECT count(*) FROM outbox WHERE key = $1", interview_id))


async def test_retry_with_same_key_and_body_replays_the_first_answer(client: Client, pool: asyncpg.Pool) -> None:
    key = {"Idempotency-Key": secrets.token_hex(8)}
    first = await client.call("POST", "/v1/interviews", json=BODY, headers=key)
    # The same JSON with its keys in another order is the same request.
    second = await client.call("POST", "/v1/interviews", json=dict(reversed(list(BODY.items()))), headers=key)
    assert first[0] == second[0] == 200
    assert first[1] == second[1]
    assert second[2].headers.get("Idempotent-Replayed") == "true"
    assert await _interviews(pool, client.org_id) == [first[1]["id"]]
    assert await _events(pool, first[1]["id"]) == 1


async def test_same_key_with_another_body_is_a_conflict(client: Client, pool: asyncpg.Pool) -> None:
    key = {"Idempotency-Key": secrets.token_hex(8)}
    assert (await client.call("POST", "/v1/interviews", json=BODY, headers=key))[0] == 200
    status, body, _ = await client.call("POST", "/v1/interviews", json={**BODY, "vacancy_id": "other"}, headers=key)
    assert status == 409 and body["error"]["code"] == "idempotency_key_reused"
    status, body, _ = await client.call(
        "POST", "/v1/webhooks", headers=key, json={"url": "https://a.io/h", "events": ["report.ready"]}
    )
    assert status == 409
    assert len(await _interviews(pool, client.org_id)) == 1


async def test_concurrent_retries_create_one_interview(client: Client, pool: asyncpg.Pool) -> None:
    key = {"Idempotency-Key": secrets.token_hex(8)}
    answers = await asyncio.gather(*(client.call("POST", "/v1/interviews", json=BODY, headers=key) for _ in range(8)))
    assert {a[0] for a in answers} == {200}
    assert len({a[1]["id"] for a in answers}) == 1
    assert len(await _interviews(pool, client.org_id)) == 1


async def test_keys_are_per_organisation_and_rejected_requests_are_not_stored(
    client: Client, other: Client, pool: asyncpg.Pool
) -> None:
    key = {"Idempotency-Key": "shared-key"}
    bad = await client.call("POST", "/v1/interviews", json={**BODY, "media_url": "ftp://x"}, headers=key)
    assert bad[0] == 400
    good = await client.call("POST", "/v1/interviews", json=BODY, headers=key)
    assert good[0] == 200
    theirs = await other.call("POST", "/v1/interviews", json=BODY, headers=key)
    assert theirs[0] == 200 and theirs[1]["id"] != good[1]["id"]


async def test_webhook_creation_replay_returns_the_same_secret(client: Client) -> None:
    key = {"Idempotency-Key": secrets.token_hex(8)}
    body = {"url": "https://a.io/h", "events": ["report.ready"]}
    first = await client.call("POST", "/v1/webhooks", json=body, headers=key)
    second = await client.call("POST", "/v1/webhooks", json=body, headers=key)
    assert first[1] == second[1] and len((await client.call("GET", "/v1/webhooks"))[1]["items"]) == 1
