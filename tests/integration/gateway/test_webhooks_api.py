"""The webhook API beyond the contract: a subscription's status, secret rotation, test events, the delivery log and
redelivery, each scoped to its organisation. The dispatcher is not running here: its work (claiming deliveries,
logging attempts, disabling endpoints) is simulated with SQL."""

from __future__ import annotations

import asyncio
import re
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from tests.integration.conftest import Client

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
WEBHOOK_FIELDS = {"id", "url", "events", "status", "disabled_reason", "created_at"}
DELIVERY_FIELDS = {
    "id",
    "event_type",
    "status",
    "attempts",
    "created_at",
    "next_attempt_at",
    "last_status_code",
    "attempts_log",
}


async def _webhook(client: Client, events: list[str] | None = None, url: str = "https://hooks.acme.io/tm") -> str:
    status, body, _ = await client.call("POST", "/v1/webhooks", json={"url": url, "events": events or ["report.ready"]})
    assert status == 200, body
    return str(body["id"])


async def _send_test(client: Client, webhook_id: str) -> str:
    status, body, _ = await client.call("POST", f"/v1/webhooks/{webhook_id}/test")
    assert status == 200, body
    return str(body["delivery_id"])


async def _deliveries(pool: asyncpg.Pool, webhook_id: str) -> list[asyncpg.Record]:
    return await pool.fetch("SELECT * FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at", webhook_id)


async def _log_attempt(
    pool: asyncpg.Pool,
    delivery_id: str,
    attempt: int,
    *,
    status_code: int | None,
    latency_ms: int | None,
    error: str | None,
    ago_s: int,
) -> None:
    """What the dispatcher does after each attempt: log it and update the delivery's counters."""
    await pool.execute(
        "INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, latency_ms, error) "
        "VALUES ($1, $2, now() - make_interval(secs => $6), $3, $4, $5)",
        delivery_id,
        attempt,
        status_code,
        latency_ms,
        error,
        float(ago_s),
    )
    await pool.execute(
        "UPDATE webhook_deliveries SET attempts = $2, last_status_code = $3 WHERE id = $1",
        delivery_id,
        attempt,
        status_code,
    )


async def _disable(pool: asyncpg.Pool, webhook_id: str, reason: str) -> None:
    await pool.execute(
        "UPDATE webhooks SET disabled_at = now(), disabled_reason = $2 WHERE id = $1", webhook_id, reason
    )


# --- subscriptions -------------------------------------------------------------------------------------------


async def test_list_and_get_show_status_and_creation_time_but_never_the_secret(client: Client) -> None:
    status, created, _ = await client.call(
        "POST", "/v1/webhooks", json={"url": "https://acme.io/h", "events": ["interview.completed", "report.ready"]}
    )
    assert status == 200
    status, listed, _ = await client.call("GET", "/v1/webhooks")
    assert status == 200 and set(listed) == {"success", "items"}
    [item] = listed["items"]
    assert set(item) == WEBHOOK_FIELDS
    assert item["id"] == created["id"] and item["url"] == "https://acme.io/h"
    assert item["events"] == ["interview.completed", "report.ready"]
    assert item["status"] == "active" and item["disabled_reason"] is None
    assert TIMESTAMP.match(item["created_at"])
    created_at = datetime.strptime(item["created_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - created_at) < timedelta(minutes=5)

    status, detail, _ = await client.call("GET", f"/v1/webhooks/{created['id']}")
    assert status == 200 and detail == {"success": True, **item}
    assert created["secret"] not in repr(listed) + repr(detail)

    status, body, _ = await client.call("GET", "/v1/webhooks/wh_000000000000")
    assert status == 404 and body["error"]["code"] == "not_found"
    assert (await client.call("DELETE", f"/v1/webhooks/{created['id']}"))[0] == 200
    assert (await client.call("GET", f"/v1/webhooks/{created['id']}"))[0] == 404


async def test_disabled_subscription_is_reported_and_refuses_test_events(client: Client, pool: asyncpg.Pool) -> None:
    active = await _webhook(client)
    disabled = await _webhook(client, url="https://dead.acme.io/tm")
    delivery_id = await _send_test(client, disabled)
    await pool.execute("UPDATE webhook_deliveries SET status = 'failed' WHERE id = $1", delivery_id)
    await _disable(pool, disabled, "no 2xx answer for 5 days")

    items = {i["id"]: i for i in (await client.call("GET", "/v1/webhooks"))[1]["items"]}
    assert (items[active]["status"], items[active]["disabled_reason"]) == ("active", None)
    assert (items[disabled]["status"], items[disabled]["disabled_reason"]) == ("disabled", "no 2xx answer for 5 days")
    detail = (await client.call("GET", f"/v1/webhooks/{disabled}"))[1]
    assert detail["status"] == "disabled" and detail["disabled_reason"] == "no 2xx answer for 5 days"

    status, body, _ = await client.call("POST", f"/v1/webhooks/{disabled}/test")
    assert status == 409 and body["error"]["code"] == "webhook_disabled"
    status, body, _ = await client.call("POST", f"/v1/webhooks/{disabled}/deliveries/{delivery_id}/redeliver")
    assert status == 409 and body["error"]["code"] == "webhook_disabled"
    [row] = await _deliveries(pool, disabled)
    assert row["status"] == "failed"
    # Its log stays readable.
    log = (await client.call("GET", f"/v1/webhooks/{disabled}/deliveries"))[1]
    assert [d["id"] for d in log["items"]] == [delivery_id]


# --- secret rotation -----------------------------------------------------------------------------------------


async def _secrets(pool: asyncpg.Pool, webhook_id: str) -> asyncpg.Record:
    row = await pool.fetchrow(
        "SELECT secret, previous_secret, previous_secret_expires_at - now() AS overlap FROM webhooks WHERE id = $1",
        webhook_id,
    )
    assert row is not None
    return row


async def test_rotation_keeps_the_previous_secret_for_24_hours(client: Client, pool: asyncpg.Pool) -> None:
    _, created, _ = await client.call(
        "POST", "/v1/webhooks", json={"url": "https://a.io/h", "events": ["report.ready"]}
    )
    old = created["secret"]
    status, body, _ = await client.call("POST", f"/v1/webhooks/{created['id']}/rotate-secret")
    assert status == 200 and set(body) == {"success", "id", "secret"}
    assert body["success"] is True and body["id"] == created["id"]
    new = body["secret"]
    assert new.startswith("whsec_") and new != old and old not in repr(body)
    stored = await _secrets(pool, created["id"])
    assert (stored["secret"], stored["previous_secret"]) == (new, old)
    assert timedelta(hours=24) - timedelta(minutes=1) < stored["overlap"] <= timedelta(hours=24)

    # A second rotation: the first secret retires, the second one overlaps with the third.
    _, third, _ = await client.call("POST", f"/v1/webhooks/{created['id']}/rotate-secret", json={})
    stored = await _secrets(pool, created["id"])
    assert (stored["secret"], stored["previous_secret"]) == (third["secret"], new)
    assert len({old, new, third["secret"]}) == 3
    assert third["secret"] not in repr((await client.call("GET", f"/v1/webhooks/{created['id']}"))[1])


async def test_rotation_honours_idempotency_keys(client: Client, pool: asyncpg.Pool) -> None:
    hook, other_hook = await _webhook(client), await _webhook(client)
    key = {"Idempotency-Key": secrets.token_hex(8)}
    first = await client.call("POST", f"/v1/webhooks/{hook}/rotate-secret", headers=key)
    second = await client.call("POST", f"/v1/webhooks/{hook}/rotate-secret", headers=key, json={})
    assert first[0] == second[0] == 200 and first[1] == second[1]
    assert second[2].headers.get("Idempotent-Replayed") == "true"
    assert (await _secrets(pool, hook))["secret"] == first[1]["secret"]  # rotated once
    before = await _secrets(pool, other_hook)
    status, body, _ = await client.call("POST", f"/v1/webhooks/{other_hook}/rotate-secret", headers=key)
    assert status == 409 and body["error"]["code"] == "idempotency_key_reused"
    assert (await _secrets(pool, other_hook))["secret"] == before["secret"]


async def test_rotation_of_unknown_or_deleted_subscriptions_and_bodies(client: Client, pool: asyncpg.Pool) -> None:
    hook = await _webhook(client)
    before = await _secrets(pool, hook)
    status, body, _ = await client.call("POST", f"/v1/webhooks/{hook}/rotate-secret", json={"secret": "whsec_x"})
    assert status == 400 and body["error"]["code"] == "validation_error"
    status, body, _ = await client.call(
        "POST", f"/v1/webhooks/{hook}/rotate-secret", data=b"now", headers={"Content-Type": "text/plain"}
    )
    assert status == 415
    status, body, _ = await client.call(
        "POST", f"/v1/webhooks/{hook}/rotate-secret", data=b"{", headers={"Content-Type": "application/json"}
    )
    assert status == 400 and body["error"]["code"] == "malformed_json"
    assert (await _secrets(pool, hook))["secret"] == before["secret"]

    assert (await client.call("POST", "/v1/webhooks/wh_000000000000/rotate-secret"))[0] == 404
    await client.call("DELETE", f"/v1/webhooks/{hook}")
    status, body, _ = await client.call("POST", f"/v1/webhooks/{hook}/rotate-secret")
    assert status == 404 and body["error"]["code"] == "not_found"
    assert (await _secrets(pool, hook))["secret"] == before["secret"]
    assert (await client.call("GET", f"/v1/webhooks/{hook}/rotate-secret"))[0] == 405


# --- test events ---------------------------------------------------------------------------------------------


async def test_test_event_queues_one_pending_delivery_with_the_documented_payload(
    client: Client, pool: asyncpg.Pool
) -> None:
    hook = await _webhook(client, events=["candidate.scored"])  # webhook.test is sent whatever was selected
    status, body, _ = await client.call("POST", f"/v1/webhooks/{hook}/test")
    assert status == 200 and set(body) == {"success", "delivery_id"} and body["success"] is True
    delivery_id = body["delivery_id"]
    assert re.fullmatch(r"msg_[0-9a-f]{24}", delivery_id)

    [row] = await _deliveries(pool, hook)
    assert row["id"] == delivery_id and row["org_id"] == client.org_id
    assert row["event_type"] == "webhook.test" and isinstance(row["event_id"], uuid.UUID)
    assert row["event_id"].version == 4
    assert row["status"] == "pending" and row["attempts"] == 0 and row["locked_until"] is None
    assert await pool.fetchval("SELECT $1 <= now()", row["next_attempt_at"])
    payload = row["payload"]
    assert payload == {
        "type": "webhook.test",
        "id": delivery_id,
        "created_at": payload["created_at"],
        "data": {"webhook_id": hook, "message": "Test event from TalentMind"},
    }
    assert payload["created_at"] == row["created_at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    second = await _send_test(client, hook)
    assert second != delivery_id and len(await _deliveries(pool, hook)) == 2


async def test_test_event_for_unknown_or_deleted_subscriptions_is_404(client: Client, pool: asyncpg.Pool) -> None:
    hook = await _webhook(client)
    assert (await client.call("POST", "/v1/webhooks/wh_000000000000/test"))[0] == 404
    await client.call("DELETE", f"/v1/webhooks/{hook}")
    status, body, _ = await client.call("POST", f"/v1/webhooks/{hook}/test")
    assert status == 404 and body["error"]["code"] == "not_found"
    assert await _deliveries(pool, hook) == []
    status, body, _ = await client.call("POST", "/v1/webhooks/wh_000000000000/test", json={"type": "x"})
    assert status == 400


async def test_test_events_and_redeliveries_wake_the_dispatchers(client: Client, pool: asyncpg.Pool) -> None:
    hook = await _webhook(client)
    woken: asyncio.Queue[str] = asyncio.Queue()

    def wake(_conn: object, _pid: int, channel: str, _payload: object) -> None:
        woken.put_nowait(channel)

    async with pool.acquire() as listener:
        await listener.add_listener("talentmind_deliveries", wake)
        delivery_id = await _send_test(client, hook)
        await asyncio.wait_for(woken.get(), 10)
        await pool.execute("UPDATE webhook_deliveries SET status = 'failed' WHERE id = $1", delivery_id)
        assert (await client.call("POST", f"/v1/webhooks/{hook}/deliveries/{delivery_id}/redeliver"))[0] == 200
        await asyncio.wait_for(woken.get(), 10)
        await listener.remove_listener("talentmind_deliveries", wake)


# --- the delivery log ----------------------------------------------------------------------------------------


async def _three_deliveries(client: Client, pool: asyncpg.Pool, hook: str) -> list[str]:
    """Three deliveries, oldest first: one failed after two attempts, one succeeded on its second, one pending."""
    ids = [await _send_test(client, hook) for _ in range(3)]
    for minutes, delivery_id in zip((30, 20, 10), ids, strict=True):
        await pool.execute(
            "UPDATE webhook_deliveries SET created_at = now() - make_interval(mins => $2) WHERE id = $1",
            delivery_id,
            minutes,
        )
    failed, succeeded, _pending = ids
    await _log_attempt(pool, failed, 1, status_code=500, latency_ms=31, error="HTTP 500", ago_s=1700)
    await _log_attempt(pool, failed, 2, status_code=None, latency_ms=15000, error="timeout after 15 s", ago_s=1600)
    await pool.execute("UPDATE webhook_deliveries SET status = 'failed' WHERE id = $1", failed)
    await _log_attempt(pool, succeeded, 1, status_code=302, latency_ms=12, error="redirect", ago_s=1100)
    await _log_attempt(pool, succeeded, 2, status_code=204, latency_ms=8, error=None, ago_s=1000)
    await pool.execute("UPDATE webhook_deliveries SET status = 'succeeded' WHERE id = $1", succeeded)
    return ids


async def test_delivery_log_newest_first_with_every_attempt(client: Client, pool: asyncpg.Pool) -> None:
    hook = await _webhook(client)
    failed, succeeded, pending = await _three_deliveries(client, pool, hook)
    status, body, _ = await client.call("GET", f"/v1/webhooks/{hook}/deliveries")
    assert status == 200 and set(body) == {"success", "total", "items"} and body["total"] == 3
    assert [d["id"] for d in body["items"]] == [pending, succeeded, failed]
    for item in body["items"]:
        assert set(item) == DELIVERY_FIELDS and item["event_type"] == "webhook.test"
        assert TIMESTAMP.match(item["created_at"])
    newest, middle, oldest = body["items"]

    assert newest["status"] == "pending" and newest["attempts"] == 0 and newest["attempts_log"] == []
    assert TIMESTAMP.match(newest["next_attempt_at"]) and newest["last_status_code"] is None

    assert middle["status"] == "succeeded" and middle["attempts"] == 2 and middle["last_status_code"] == 204
    assert middle["next_attempt_at"] is None
    assert [(a["attempt"], a["status_code"], a["latency_ms"], a["error"]) for a in middle["attempts_log"]] == [
        (1, 302, 12, "redirect"),
        (2, 204, 8, None),
    ]

    assert oldest["status"] == "failed" and oldest["attempts"] == 2 and oldest["next_attempt_at"] is None
    log = oldest["attempts_log"]
    assert [set(a) for a in log] == [{"attempt", "attempted_at", "status_code", "latency_ms", "error"}] * 2
    assert [(a["attempt"], a["status_code"], a["latency_ms"], a["error"]) for a in log] == [
        (1, 500, 31, "HTTP 500"),
        (2, None, 15000, "timeout after 15 s"),
    ]
    assert all(TIMESTAMP.match(a["attempted_at"]) for a in log) and log[0]["attempted_at"] < log[1]["attempted_at"]

    # Only this subscription's deliveries.
    other_hook = await _webhook(client)
    assert (await client.call("GET", f"/v1/webhooks/{other_hook}/deliveries"))[1] == {
        "success": True,
        "total": 0,
        "items": [],
    }


async def test_delivery_log_pages_and_filters(client: Client, pool: asyncpg.Pool) -> None:
    hook = await _webhook(client)
    failed, succeeded, pending = await _three_deliveries(client, pool, hook)
    path = f"/v1/webhooks/{hook}/deliveries"
    pages = [(await client.call("GET", path, params={"limit": "2", "offset": str(o)}))[1] for o in (0, 2, 4)]
    assert [p["total"] for p in pages] == [3, 3, 3]
    assert [[d["id"] for d in p["items"]] for p in pages] == [[pending, succeeded], [failed], []]
    for wanted, expected in (("pending", [pending]), ("succeeded", [succeeded]), ("failed", [failed])):
        body = (await client.call("GET", path, params={"status": wanted}))[1]
        assert body["total"] == 1 and [d["id"] for d in body["items"]] == expected
    body = (await client.call("GET", path, params={"status": "delivering"}))[1]
    assert body == {"success": True, "total": 0, "items": []}

    # The default page is 20, the largest 100.
    for _ in range(20):
        await _send_test(client, hook)
    assert len((await client.call("GET", path))[1]["items"]) == 20
    body = (await client.call("GET", path, params={"limit": "100"}))[1]
    assert body["total"] == 23 and len(body["items"]) == 23


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("status=done", "status"),
        ("state=failed", "state"),
        ("limit=5&limit=6", "limit"),
    ],
)
async def test_delivery_log_bad_queries_are_400(client: Client, query: str, field: str) -> None:
    hook = await _webhook(client)
    status, body, _ = await client.call("GET", f"/v1/webhooks/{hook}/deliveries?{query}")
    assert status == 400 and body["success"] is False
    assert body["error"]["code"] == "validation_error" and body["error"]["message"].startswith(field)
    assert body["error"]["details"][0]["field"] == field


async def test_delivery_log_of_unknown_or_deleted_subscriptions_is_404(client: Client, pool: asyncpg.Pool) -> None:
    hook = await _webhook(client)
    await _send_test(client, hook)
    assert (await client.call("GET", "/v1/webhooks/wh_000000000000/deliveries"))[0] == 404
    await client.call("DELETE", f"/v1/webhooks/{hook}")
    status, body, _ = await client.call("GET", f"/v1/webhooks/{hook}/deliveries")
    assert status == 404 and body["error"]["code"] == "not_found"
    assert len(await _deliveries(pool, hook)) == 1  # kept: the subscription is soft-deleted


# --- redelivery ----------------------------------------------------------------------------------------------


async def test_redeliver_queues_the_same_delivery_again(client: Client, pool: asyncpg.Pool) -> None:
    hook = await _webhook(client)
    delivery_id = await _send_test(client, hook)
    await _log_attempt(pool, delivery_id, 1, status_code=500, latency_ms=20, error="HTTP 500", ago_s=60)
    await pool.execute(
        "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = now() + interval '1 day', "
        "locked_until = now() + interval '1 minute' WHERE id = $1",
        delivery_id,
    )
    path = f"/v1/webhooks/{hook}/deliveries/{delivery_id}/redeliver"
    status, body, _ = await client.call("POST", path)
    assert (status, body) == (200, {"success": True, "id": delivery_id, "status": "pending"})
    [row] = await _deliveries(pool, hook)
    assert row["id"] == delivery_id and row["status"] == "pending" and row["locked_until"] is None
    assert await pool.fetchval("SELECT $1 <= now()", row["next_attempt_at"])
    assert row["attempts"] == 1  # the log keeps the earlier attempts
    log = (await client.call("GET", f"/v1/webhooks/{hook}/deliveries"))[1]["items"]
    assert [(d["id"], d["status"], len(d["attempts_log"])) for d in log] == [(delivery_id, "pending", 1)]
    assert log[0]["next_attempt_at"] is not None

    # Succeeded deliveries may be sent again too, and an empty JSON object is accepted as the body.
    await pool.execute("UPDATE webhook_deliveries SET status = 'succeeded' WHERE id = $1", delivery_id)
    assert (await client.call("POST", path, json={}))[0] == 200
    assert (await client.call("POST", path, json={"now": True}))[0] == 400


async def test_redeliver_refuses_deliveries_in_flight_and_unknown_ones(client: Client, pool: asyncpg.Pool) -> None:
    hook, other_hook = await _webhook(client), await _webhook(client)
    delivery_id = await _send_test(client, hook)
    await pool.execute(
        "UPDATE webhook_deliveries SET status = 'delivering', locked_until = now() + interval '30 seconds' "
        "WHERE id = $1",
        delivery_id,
    )
    status, body, _ = await client.call("POST", f"/v1/webhooks/{hook}/deliveries/{delivery_id}/redeliver")
    assert status == 409 and body["error"]["code"] == "delivery_in_flight"
    [row] = await _deliveries(pool, hook)
    assert row["status"] == "delivering" and row["locked_until"] is not None

    for path in (
        f"/v1/webhooks/{hook}/deliveries/msg_{'0' * 24}/redeliver",
        f"/v1/webhooks/{other_hook}/deliveries/{delivery_id}/redeliver",  # a delivery of another subscription
        f"/v1/webhooks/wh_000000000000/deliveries/{delivery_id}/redeliver",
    ):
        status, body, _ = await client.call("POST", path)
        assert status == 404 and body["error"]["code"] == "not_found", path
    await client.call("DELETE", f"/v1/webhooks/{hook}")
    await pool.execute("UPDATE webhook_deliveries SET status = 'failed' WHERE id = $1", delivery_id)
    assert (await client.call("POST", f"/v1/webhooks/{hook}/deliveries/{delivery_id}/redeliver"))[0] == 404
    assert (await _deliveries(pool, hook))[0]["status"] == "failed"


# --- tenancy -------------------------------------------------------------------------------------------------


async def test_other_organisations_see_none_of_it(client: Client, other: Client, pool: asyncpg.Pool) -> None:
    a, b = client, other
    _, created, _ = await a.call("POST", "/v1/webhooks", json={"url": "https://a.io/h", "events": ["report.ready"]})
    hook = created["id"]
    delivery_id = await _send_test(a, hook)
    await pool.execute("UPDATE webhook_deliveries SET status = 'failed' WHERE id = $1", delivery_id)
    before = await _secrets(pool, hook)
    b_hook = await _webhook(b)

    unknown_hook, unknown_delivery = "wh_000000000000", "msg_" + "0" * 24
    calls: list[tuple[str, str]] = [
        ("GET", "/v1/webhooks/{h}"),
        ("POST", "/v1/webhooks/{h}/rotate-secret"),
        ("POST", "/v1/webhooks/{h}/test"),
        ("GET", "/v1/webhooks/{h}/deliveries"),
        ("POST", "/v1/webhooks/{h}/deliveries/{d}/redeliver"),
        ("DELETE", "/v1/webhooks/{h}"),
    ]
    for method, template in calls:
        theirs = await b.call(method, template.format(h=hook, d=delivery_id))
        unknown = await b.call(method, template.format(h=unknown_hook, d=unknown_delivery))
        assert (theirs[0], theirs[1]) == (unknown[0], unknown[1]) and theirs[0] == 404, template
    # Nor through B's own subscription.
    assert (await b.call("POST", f"/v1/webhooks/{b_hook}/deliveries/{delivery_id}/redeliver"))[0] == 404
    b_log: dict[str, Any] = (await b.call("GET", f"/v1/webhooks/{b_hook}/deliveries"))[1]
    assert b_log == {"success": True, "total": 0, "items": []}
    assert [i["id"] for i in (await b.call("GET", "/v1/webhooks"))[1]["items"]] == [b_hook]

    # A's subscription, secret and log are untouched.
    after = await _secrets(pool, hook)
    assert (after["secret"], after["previous_secret"]) == (before["secret"], None)
    [row] = await _deliveries(pool, hook)
    assert (row["id"], row["status"]) == (delivery_id, "failed")
    assert (await a.call("GET", f"/v1/webhooks/{hook}"))[1]["status"] == "active"
    assert [d["id"] for d in (await a.call("GET", f"/v1/webhooks/{hook}/deliveries"))[1]["items"]] == [delivery_id]


@pytest.mark.parametrize(
    "url",
    [
        "https://169.254.169.254/latest/meta-data/",
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://localhost/hook",
        "https://10.0.0.5/hook",
        "https://user:pass@acme.io/hook",
    ],
)
async def test_forbidden_targets_are_refused_at_subscription(client: Client, url: str) -> None:
    status, body, _ = await client.call("POST", "/v1/webhooks", json={"url": url, "events": ["report.ready"]})
    assert status == 400 and body["error"]["code"] in ("ssrf_blocked", "bad_url"), body
    assert (await client.call("GET", "/v1/webhooks"))[1]["items"] == []
