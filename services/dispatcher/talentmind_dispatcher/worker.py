"""Webhook delivery worker: durable retries in PostgreSQL, safe targets, bounded per endpoint.

* Work lives in ``webhook_deliveries``. A worker claims due rows (``pending`` and due, or ``delivering`` whose lock
  expired because a dispatcher died mid-attempt) with ``FOR UPDATE SKIP LOCKED``, so several workers and
  replicas share the work and no row is sent twice while an attempt is in flight (``locked_until``).
* It claims only what it can send at once: at most ``per_endpoint`` rows of one subscription in flight, so a slow
  or dead endpoint holds a few slots and never delays other organisations' deliveries.
* Each attempt: the SSRF policy again (DNS can change since subscription), a POST of the stored body with the
  Standard Webhooks headers (signed with the current secret and, during rotation, the previous one), redirects
  refused, a timeout. A 2xx is success; anything else schedules the next attempt from the schedule with ±20%
  jitter, or ``failed`` when it is exhausted. Every attempt is logged. An endpoint that has not succeeded for
  ``disable_after_s`` is disabled and its pending deliveries fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import aiohttp
import asyncpg

from talentmind.netsafety import TargetPolicy, UnsafeTargetError, check_url
from talentmind.retry import scheduled_delay
from talentmind.safe_http import SafeConnector, checked_literal
from talentmind.signatures import webhook_headers
from talentmind_dispatcher import metrics
from talentmind_dispatcher.fanout import NOTIFY_CHANNEL

log = logging.getLogger(__name__)
USER_AGENT = "TalentMind-Webhooks/0.1"


@dataclass(frozen=True)
class DeliveryPolicy:
    target: TargetPolicy
    schedule_s: tuple[float, ...]
    timeout_s: float
    disable_after_s: float
    concurrency: int = 64
    per_endpoint: int = 8
    poll_interval_s: float = 0.5
    max_error_chars: int = 500


@dataclass(frozen=True)
class Claimed:
    id: str
    webhook_id: str
    url: str
    secrets: tuple[str, ...]
    body: bytes
    attempt: int
    gone: str | None  # why the subscription can no longer receive (deleted, disabled), else None


@dataclass(frozen=True)
class Outcome:
    delivery: Claimed
    status_code: int | None
    latency_ms: int
    error: str | None
    give_up: bool = False


# Outcomes are written in batches (one transaction per FLUSH_S or FLUSH_MAX outcomes): a database round trip per
# delivery caps throughput well below what the HTTP side sustains. A dispatcher killed inside that window leaves
# those rows locked until locked_until, and they are sent again: at least once, never twice concurrently.
FLUSH_S = 0.02
FLUSH_MAX = 500


class DeliveryWorker:
    def __init__(self, pool: asyncpg.Pool, policy: DeliveryPolicy, *, name: str = "worker") -> None:
        self.pool = pool
        self.policy = policy
        self.name = name
        self._stopping = asyncio.Event()
        self._wakeup = asyncio.Event()
        self._in_flight: Counter[str] = Counter()
        self._tasks: set[asyncio.Task[None]] = set()
        self._outcomes: list[Outcome] = []
        self._flush_now = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()
        self._wakeup.set()

    async def run(self) -> None:
        connector = SafeConnector(self.policy.target, limit=self.policy.concurrency, limit_per_host=0)
        timeout = aiohttp.ClientTimeout(total=self.policy.timeout_s)
        async with aiohttp.ClientSession(
            connector=connector, timeout=timeout, trust_env=False, headers={"User-Agent": USER_AGENT}
        ) as http:
            listener = await self.pool.acquire()
            flusher = asyncio.create_task(self._flush_loop())
            try:
                await listener.add_listener(NOTIFY_CHANNEL, self._on_notify)
                while not self._stopping.is_set():
                    free = self.policy.concurrency - len(self._tasks)
                    claimed = await self._claim_safely(free) if free > 0 else []
                    for delivery in claimed:
                        self._in_flight[delivery.webhook_id] += 1
                        task = asyncio.create_task(self._deliver(http, delivery))
                        self._tasks.add(task)
                        task.add_done_callback(self._tasks.discard)
                    if not claimed:
                        await self._sleep(self.policy.poll_interval_s)
                if self._tasks:
                    await asyncio.wait(self._tasks, timeout=self.policy.timeout_s + 5)
            finally:
                flusher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await flusher
                await self._flush_safely()
                with contextlib.suppress(Exception):
                    await listener.remove_listener(NOTIFY_CHANNEL, self._on_notify)
                await self.pool.release(listener)

    async def _claim_safely(self, limit: int) -> list[Claimed]:
        try:
            return await self.claim(limit)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("claiming deliveries failed; retrying", extra={"error": repr(exc)})
            await self._sleep(self.policy.poll_interval_s)
            return []

    async def claim(self, limit: int) -> list[Claimed]:
        """Lock up to ``limit`` due deliveries, at most ``per_endpoint`` in flight per subscription."""
        saturated = [w for w, n in self._in_flight.items() if n >= self.policy.per_endpoint]
        lock_s = self.policy.timeout_s * 2 + 30
        rows = await self.pool.fetch(
            """
            WITH due AS (
                SELECT id, webhook_id, row_number() OVER (PARTITION BY webhook_id ORDER BY next_attempt_at, id) AS n
                FROM webhook_deliveries
                WHERE ((status = 'pending' AND next_attempt_at <= now())
                       OR (status = 'delivering' AND locked_until < now()))
                  AND NOT (webhook_id = ANY($2::text[]))
                ORDER BY next_attempt_at
                LIMIT $1 * 4
            ), picked AS (
                SELECT d.id FROM webhook_deliveries d JOIN due ON due.id = d.id
                WHERE due.n <= $3
                  AND ((d.status = 'pending' AND d.next_attempt_at <= now())
                       OR (d.status = 'delivering' AND d.locked_until < now()))
                ORDER BY d.next_attempt_at LIMIT $1
                FOR UPDATE OF d SKIP LOCKED
            )
            UPDATE webhook_deliveries d
               SET status = 'delivering', attempts = d.attempts + 1, updated_at = now(),
                   locked_until = now() + make_interval(secs => $4)
              FROM picked, webhooks w
             WHERE d.id = picked.id AND w.id = d.webhook_id
            RETURNING d.id, d.webhook_id, d.payload, d.attempts, w.url, w.secret, w.previous_secret,
                      w.previous_secret_expires_at > now() AS previous_valid, w.deleted_at, w.disabled_at
            """,
            limit, saturated, self.policy.per_endpoint, lock_s,
        )  # fmt: skip
        claimed = []
        for row in rows:
            secrets = (row["secret"],) + ((row["previous_secret"],) if row["previous_valid"] else ())
            gone = (
                "subscription deleted" if row["deleted_at"] else ("endpoint disabled" if row["disabled_at"] else None)
            )
            body = json.dumps(row["payload"], separators=(",", ":"), ensure_ascii=False).encode()
            claimed.append(Claimed(row["id"], row["webhook_id"], row["url"], secrets, body, row["attempts"], gone))
        return claimed

    async def _deliver(self, http: aiohttp.ClientSession, delivery: Claimed) -> None:
        # The endpoint's slot is freed once the outcome is recorded (see _flush_safely), so that a subscription
        # never has more than per_endpoint deliveries between claim and record.
        if delivery.gone:
            self._outcome(Outcome(delivery, None, 0, delivery.gone, give_up=True))
            return
        status, latency_ms, error = await self.attempt(http, delivery)
        self._outcome(Outcome(delivery, status, latency_ms, error))

    def _outcome(self, outcome: Outcome) -> None:
        self._outcomes.append(outcome)
        if len(self._outcomes) >= FLUSH_MAX:
            self._flush_now.set()

    async def _flush_loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._flush_now.wait(), FLUSH_S)
            self._flush_now.clear()
            await self._flush_safely()

    async def _flush_safely(self) -> None:
        batch, self._outcomes = self._outcomes, []
        if not batch:
            return
        try:
            await self.record(batch)
        except Exception:
            log.exception(
                "recording delivery outcomes failed; their locks expire and they are retried",
                extra={"count": len(batch)},
            )
        finally:
            for outcome in batch:
                webhook_id = outcome.delivery.webhook_id
                self._in_flight[webhook_id] -= 1
                if self._in_flight[webhook_id] <= 0:
                    del self._in_flight[webhook_id]
            self._wakeup.set()

    async def attempt(self, http: aiohttp.ClientSession, delivery: Claimed) -> tuple[int | None, int, str | None]:
        """One HTTP attempt: (status code or None, latency in ms, error or None when it was a 2xx)."""
        started = time.perf_counter()
        try:
            target = check_url(delivery.url, self.policy.target)
            url = await checked_literal(target, self.policy.target)
            headers = webhook_headers(delivery.secrets, delivery.id, int(time.time()), delivery.body)
            async with http.post(url, data=delivery.body, headers=headers, allow_redirects=False) as resp:
                text = await resp.text(errors="replace")
                latency = int((time.perf_counter() - started) * 1000)
                if 200 <= resp.status < 300:
                    return resp.status, latency, None
                kind = "redirect refused" if 300 <= resp.status < 400 else "non-2xx answer"
                return resp.status, latency, f"{kind}: {text[: self.policy.max_error_chars]}"
        except UnsafeTargetError as exc:
            return None, int((time.perf_counter() - started) * 1000), f"{exc.code}: {exc}"
        except TimeoutError:
            return None, int((time.perf_counter() - started) * 1000), f"timeout after {self.policy.timeout_s:g} s"
        except (aiohttp.ClientError, OSError) as exc:
            return None, int((time.perf_counter() - started) * 1000), f"connection error: {exc!r}"[:500]

    async def record(self, outcomes: list[Outcome]) -> None:
        """Log the attempts and move each delivery on: succeeded, pending again (with its next time), or failed."""
        rows: list[tuple[Outcome, str, float | None]] = []
        for o in outcomes:
            succeeded = o.error is None
            delay = None if (succeeded or o.give_up) else scheduled_delay(self.policy.schedule_s, o.delivery.attempt)
            status = "succeeded" if succeeded else ("failed" if delay is None else "pending")
            metrics.ATTEMPTS.labels("succeeded" if succeeded else ("failed" if delay is None else "retrying")).inc()
            if o.latency_ms:
                metrics.LATENCY.observe(o.latency_ms / 1000)
            rows.append((o, status, delay))
        healthy = sorted({o.delivery.webhook_id for o, status, _ in rows if status == "succeeded"})
        failing = sorted(
            {o.delivery.webhook_id for o, status, _ in rows if status != "succeeded" and not o.give_up} - set(healthy)
        )
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.executemany(
                "INSERT INTO webhook_attempts (delivery_id, attempt, status_code, latency_ms, error) "
                "VALUES ($1, $2, $3, $4, $5)",
                [(o.delivery.id, o.delivery.attempt, o.status_code, o.latency_ms, o.error) for o, _, _ in rows],
            )
            await conn.execute(
                "UPDATE webhook_deliveries d SET status = o.status, last_status_code = o.code, last_error = o.error, "
                "locked_until = NULL, updated_at = now(), next_attempt_at = CASE WHEN o.delay IS NULL "
                "THEN d.next_attempt_at ELSE now() + make_interval(secs => o.delay) END "
                "FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::float8[]) "
                "AS o(id, status, code, error, delay) WHERE d.id = o.id",
                [o.delivery.id for o, _, _ in rows], [status for _, status, _ in rows],
                [o.status_code for o, _, _ in rows], [o.error for o, _, _ in rows], [d for _, _, d in rows],
            )  # fmt: skip
            if healthy:
                await conn.execute(
                    "UPDATE webhooks SET failing_since = NULL WHERE id = ANY($1::text[]) AND failing_since IS NOT NULL",
                    healthy,
                )
            for webhook_id in failing:
                await self._note_failure(conn, webhook_id)

    async def _note_failure(self, conn: Any, webhook_id: str) -> None:
        disabled = await conn.fetchval(
            "UPDATE webhooks SET failing_since = COALESCE(failing_since, now()), "
            "disabled_at = CASE WHEN COALESCE(failing_since, now()) <= now() - make_interval(secs => $2) "
            "THEN now() END, "
            "disabled_reason = CASE WHEN COALESCE(failing_since, now()) <= now() - make_interval(secs => $2) "
            "THEN 'no successful delivery for ' || $2::text || ' s' END "
            "WHERE id = $1 AND disabled_at IS NULL RETURNING disabled_at IS NOT NULL",
            webhook_id, self.policy.disable_after_s,
        )  # fmt: skip
        if disabled:
            await conn.execute(
                "UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint disabled', "
                "updated_at = now() WHERE webhook_id = $1 AND status = 'pending'",
                webhook_id,
            )
            metrics.ENDPOINTS_DISABLED.inc()
            log.warning("webhook endpoint disabled", extra={"webhook_id": webhook_id})

    def _on_notify(self, *_: object) -> None:
        self._wakeup.set()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), seconds)
        self._wakeup.clear()
