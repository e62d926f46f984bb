"""Webhook deliveries against real HTTP receivers on 127.0.0.1 and the real database: signatures checked by the
`standardwebhooks` package, retries with a compressed schedule, failures, a dispatcher killed between attempts,
several workers without double sending, fan-out and filtering, tenant isolation, SSRF refusals, slow endpoints."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg
import pytest
import pytest_asyncio
from aiohttp import web
from standardwebhooks.webhooks import Webhook

from talentmind.db.webhooks import create_webhook
from talentmind.events import InterviewCompleted, InterviewCompletedData
from talentmind.ids import new_id
from talentmind.netsafety import TargetPolicy, parse_networks
from talentmind.report_links import ReportLinks
from talentmind.signatures import new_secret
from talentmind_dispatcher.fanout import Fanout
from talentmind_dispatcher.worker import DeliveryPolicy, DeliveryWorker
from tests.conftest import serve, wait_for
from tests.integration.conftest import Client

LOCAL = TargetPolicy(allowed_networks=parse_networks(["127.0.0.1/32"]))
SCHEDULE = (0.0, 0.05, 0.1, 0.1)


def policy(**kw: Any) -> DeliveryPolicy:
    base: dict[str, Any] = {
        "target": LOCAL,
        "schedule_s": SCHEDULE,
        "timeout_s": 2.0,
        "disable_after_s": 3600,
        "concurrency": 32,
        "per_endpoint": 4,
        "poll_interval_s": 0.05,
    }
    return DeliveryPolicy(**{**base, **kw})


@dataclass
class Receiver:
    base: str = ""
    requests: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    script: dict[str, list[int]] = field(default_factory=dict)  # path -> statuses to answer in turn (then 200)

    def app(self) -> web.Application:
        async def hook(request: web.Request) -> web.StreamResponse:
            name = request.match_info["name"]
            self.requests.append((name, dict(request.headers), await request.read()))
            if name.startswith("slow"):
                await asyncio.sleep(float(request.query.get("s", "5")))
            if name == "redirect":
                raise web.HTTPFound("/hooks/ok")
            statuses = self.script.get(name, [])
            return web.Response(status=statuses.pop(0) if statuses else 200, text="ok")

        app = web.Application()
        app.router.add_post("/hooks/{name}", hook)
        return app

    def of(self, name: str) -> list[tuple[str, dict[str, str], bytes]]:
        return [r for r in self.requests if r[0] == name]


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[Receiver]:
    rec = Receiver()
    runner, rec.base = await serve(rec.app())
    yield rec
    await runner.cleanup()


async def subscribe(pool: asyncpg.Pool, client: Client, url: str, events: list[str] | None = None) -> tuple[str, str]:
    secret = new_secret()
    hook = await create_webhook(
        pool,
        webhook_id=new_id("wh", 6),
        org_id=client.org_id,
        url=url,
        events=events or ["interview.completed"],
        secret=secret,
    )
    return hook["id"], secret


async def enqueue_delivery(pool: asyncpg.Pool, client: Client, webhook_id: str, n: int = 0) -> str:
    msg_id = new_id("msg", 12)
    payload = {
        "type": "interview.completed",
        "id": msg_id,
        "created_at": "2026-11-29T10:00:00Z",
        "data": {"id": f"int_{n}", "status": "completed"},
    }
    await pool.execute(
        "INSERT INTO webhook_deliveries (id, webhook_id, org_id, event_type, event_id, payload) "
        "VALUES ($1, $2, $3, 'interview.completed', $4, $5)",
        msg_id,
        webhook_id,
        client.org_id,
        uuid.uuid4(),
        payload,
    )
    return msg_id


@contextlib.asynccontextmanager
async def running(pool: asyncpg.Pool, pol: DeliveryPolicy, count: int = 1) -> AsyncIterator[list[DeliveryWorker]]:
    workers = [DeliveryWorker(pool, pol, name=f"w{i}") for i in range(count)]
    tasks = [asyncio.create_task(w.run()) for w in workers]
    try:
        yield workers
    finally:
        for w in workers:
            w.stop()
        await asyncio.gather(*tasks)


async def status_of(pool: asyncpg.Pool, delivery_id: str) -> str:
    return str(await pool.fetchval("SELECT status FROM webhook_deliveries WHERE id = $1", delivery_id))


async def test_signed_per_standard_webhooks_and_verified_during_rotation(
    pool: asyncpg.Pool, client: Client, receiver: Receiver
) -> None:
    hook_id, old_secret = await subscribe(pool, client, f"{receiver.base}/hooks/ok")
    first = await enqueue_delivery(pool, client, hook_id)
    async with running(pool, policy()):
        await wait_for(lambda: _is(pool, first, "succeeded"))
        new = new_secret()
        await pool.execute(
            "UPDATE webhooks SET previous_secret = secret, secret = $2, "
            "previous_secret_expires_at = now() + interval '24 hours' WHERE id = $1",
            hook_id,
            new,
        )
        second = await enqueue_delivery(pool, client, hook_id, 2)
        await wait_for(lambda: _is(pool, second, "succeeded"))
    (_, h1, b1), (_, h2, b2) = receiver.of("ok")
    assert Webhook(old_secret).verify(b1, h1)["id"] == first
    assert h1["webhook-id"] == first and abs(int(h1["webhook-timestamp"]) - time.time()) < 60
    # During rotation both secrets sign: a receiver on either one accepts the message.
    assert len(h2["webhook-signature"].split(" ")) == 2
    assert Webhook(old_secret).verify(b2, h2)["id"] == second
    assert Webhook(new).verify(b2, h2)["id"] == second
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(new_secret()).verify(b2, h2)


async def _is(pool: asyncpg.Pool, delivery_id: str, status: str) -> bool:
    return await status_of(pool, delivery_id) == status


async def test_500_twice_then_200_arrives_on_the_third_attempt_with_the_same_id(
    pool: asyncpg.Pool, client: Client, receiver: Receiver
) -> None:
    receiver.script["flaky"] = [500, 503]
    hook_id, _ = await subscribe(pool, client, f"{receiver.base}/hooks/flaky")
    delivery = await enqueue_delivery(pool, client, hook_id)
    async with running(pool, policy()):
        await wait_for(lambda: _is(pool, delivery, "succeeded"))
    ids = [h["webhook-id"] for _, h, _ in receiver.of("flaky")]
    assert ids == [delivery] * 3
    log = await pool.fetch(
        "SELECT attempt, status_code FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id", delivery
    )
    assert [(r["attempt"], r["status_code"]) for r in log] == [(1, 500), (2, 503), (3, 200)]


@pytest.mark.parametrize(("path", "error"), [("always", "non-2xx"), ("slow", "timeout"), ("redirect", "redirect")])
async def test_failures_follow_the_schedule_then_fail(
    pool: asyncpg.Pool, client: Client, receiver: Receiver, path: str, error: str
) -> None:
    receiver.script["always"] = [500] * 10
    hook_id, _ = await subscribe(pool, client, f"{receiver.base}/hooks/{path}?s=1")
    delivery = await enqueue_delivery(pool, client, hook_id)
    async with running(pool, policy(timeout_s=0.3)):
        await wait_for(lambda: _is(pool, delivery, "failed"), 30)
    log = await pool.fetch("SELECT error FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id", delivery)
    assert len(log) == len(SCHEDULE) and all(error in r["error"] for r in log)
    if path == "redirect":
        assert receiver.of("ok") == []  # the redirect was not followed


async def test_killed_between_attempts_retries_once(pool: asyncpg.Pool, client: Client, receiver: Receiver) -> None:
    receiver.script["kill"] = [500]
    hook_id, _ = await subscribe(pool, client, f"{receiver.base}/hooks/kill")
    delivery = await enqueue_delivery(pool, client, hook_id)
    slow_retry = policy(schedule_s=(0.0, 1.0, 1.0))
    first = DeliveryWorker(pool, slow_retry)
    task = asyncio.create_task(first.run())
    await wait_for(lambda: _attempts_logged(pool, delivery, 1))
    task.cancel()  # the dispatcher dies between attempts: nothing of it survives but the database
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert await status_of(pool, delivery) == "pending"
    async with running(pool, slow_retry):
        await wait_for(lambda: _is(pool, delivery, "succeeded"))
        await asyncio.sleep(1.5)
    assert [h["webhook-id"] for _, h, _ in receiver.of("kill")] == [delivery, delivery]


async def _attempts_logged(pool: asyncpg.Pool, delivery_id: str, n: int) -> bool:
    return bool(await pool.fetchval("SELECT count(*) FROM webhook_attempts WHERE delivery_id = $1", delivery_id) >= n)


async def test_several_workers_never_send_a_message_twice(
    pool: asyncpg.Pool, client: Client, receiver: Receiver
) -> None:
    hooks = [(await subscribe(pool, client, f"{receiver.base}/hooks/many{i}"))[0] for i in range(5)]
    deliveries = [await enqueue_delivery(pool, client, hooks[i % 5], i) for i in range(100)]
    async with running(pool, policy(), count=3):
        await wait_for(lambda: _all(pool, deliveries, "succeeded"), 60)
    sent = [h["webhook-id"] for name, h, _ in receiver.requests if name.startswith("many")]
    assert sorted(sent) == sorted(deliveries)


async def _all(pool: asyncpg.Pool, ids: list[str], status: str) -> bool:
    n = await pool.fetchval("SELECT count(*) FROM webhook_deliveries WHERE id = ANY($1) AND status = $2", ids, status)
    return bool(n == len(ids))


async def test_a_slow_endpoint_does_not_delay_other_organisations(
    pool: asyncpg.Pool, client: Client, other: Client, receiver: Receiver
) -> None:
    slow_hook, _ = await subscribe(pool, client, f"{receiver.base}/hooks/slowpoke?s=1.5")
    fast_hook, _ = await subscribe(pool, other, f"{receiver.base}/hooks/fast")
    slow = [await enqueue_delivery(pool, client, slow_hook, i) for i in range(30)]
    fast = [await enqueue_delivery(pool, other, fast_hook, i) for i in range(30)]
    async with running(pool, policy(timeout_s=3.0)):
        started = time.monotonic()
        await wait_for(lambda: _all(pool, fast, "succeeded"), 30)
        fast_done = time.monotonic() - started
        slow_left = 30 - int(
            await pool.fetchval(
                "SELECT count(*) FROM webhook_deliveries WHERE id = ANY($1) AND status = 'succeeded'", slow
            )
        )
    assert slow_left > 10, "the slow endpoint should still be busy when the fast one is done"
    assert fast_done < 5.0


async def test_fan_out_filters_by_event_and_stays_within_the_organisation(
    pool: asyncpg.Pool, client: Client, other: Client
) -> None:
    wants, _ = await subscribe(pool, client, "https://a.example/hook", ["interview.completed", "report.ready"])
    ignores, _ = await subscribe(pool, client, "https://a.example/other", ["report.ready"])
    theirs, _ = await subscribe(pool, other, "https://b.example/hook", ["interview.completed"])
    interview_id = f"int_{secrets.token_hex(6)}"
    await pool.execute(
        "INSERT INTO interviews (id, org_id, candidate_id, vacancy_id, source, status, match, scores, "
        "completed_at) VALUES ($1, $2, 'c1', 'v1', 'transcript', 'completed', 0.7, $3, now())",
        interview_id,
        client.org_id,
        {"logic": 0.7},
    )
    event = InterviewCompleted(
        org_id=client.org_id,
        data=InterviewCompletedData(interview_id=interview_id, candidate_id="c1", vacancy_id="v1", match=0.7),
    )
    fanout = Fanout(pool, ReportLinks("https://talentmind.example", b"k", ttl_s=60))
    assert await fanout.fan_out(event) == 1
    assert await fanout.fan_out(event) == 0  # the same event again: nothing new
    rows = await pool.fetch("SELECT webhook_id, payload FROM webhook_deliveries WHERE event_id = $1", event.id)
    assert [r["webhook_id"] for r in rows] == [wants]
    payload = rows[0]["payload"]
    assert set(payload) == {"type", "id", "created_at", "data"} and payload["type"] == "interview.completed"
    assert payload["data"]["id"] == interview_id and payload["data"]["match"] == 0.7
    report_url = urlsplit(payload["data"]["report_url"])
    assert (report_url.netloc, report_url.path) == ("talentmind.example", f"/r/{interview_id}")
    token = parse_qs(report_url.query)["t"][0]
    assert fanout.links.org_of("interview", interview_id, token) == client.org_id
    assert "success" not in payload["data"] and ignores != theirs


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:{port}/hooks/ok",
        "http://[::1]:{port}/hooks/ok",
        "http://localhost:{port}/hooks/ok",
        "ftp://127.0.0.1/hooks/ok",
    ],
)
async def test_forbidden_targets_are_refused_at_every_attempt(
    pool: asyncpg.Pool, client: Client, receiver: Receiver, url: str
) -> None:
    port = receiver.base.rsplit(":", 1)[1]
    hook_id, _ = await subscribe(pool, client, url.format(port=port))
    delivery = await enqueue_delivery(pool, client, hook_id)
    async with running(pool, policy(target=TargetPolicy(), schedule_s=(0.0, 0.05))):
        await wait_for(lambda: _is(pool, delivery, "failed"))
    errors = [
        r["error"] for r in await pool.fetch("SELECT error FROM webhook_attempts WHERE delivery_id = $1", delivery)
    ]
    assert len(errors) == 2 and all(e.startswith(("ssrf_blocked", "bad_scheme")) for e in errors), errors
    assert receiver.requests == []


async def test_an_endpoint_failing_too_long_is_disabled(pool: asyncpg.Pool, client: Client, receiver: Receiver) -> None:
    receiver.script["dead"] = [500] * 10
    hook_id, _ = await subscribe(pool, client, f"{receiver.base}/hooks/dead")
    await pool.execute("UPDATE webhooks SET failing_since = now() - interval '6 days' WHERE id = $1", hook_id)
    first = await enqueue_delivery(pool, client, hook_id, 1)
    second = await enqueue_delivery(pool, client, hook_id, 2)
    async with running(pool, policy(per_endpoint=1, schedule_s=(0.0, 60.0), disable_after_s=5 * 86400)):
        await wait_for(lambda: _all(pool, [first, second], "failed"), 20)
    row = await pool.fetchrow("SELECT disabled_at, disabled_reason FROM webhooks WHERE id = $1", hook_id)
    assert row["disabled_at"] is not None and "no successful delivery" in row["disabled_reason"]
    assert len(receiver.of("dead")) == 1  # the second never went out
    assert json.loads(json.dumps(row["disabled_reason"]))
