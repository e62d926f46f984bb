"""Dispatcher benchmark: webhook deliveries per second to a local receiver, beside a plain-HTTP baseline.

* receiver: an aiohttp server in its own process on 127.0.0.1 that answers 204 to every POST;
* baseline: the same number of signed POSTs sent straight from an aiohttp client with the same concurrency (no
  database): the ceiling of this machine for the receiver;
* dispatcher: ``--deliveries`` rows queued in PostgreSQL for 10 subscriptions, delivered by ``--processes``
  dispatcher processes with one delivery worker each (claim with SKIP LOCKED, sign, POST, log the attempt,
  mark succeeded), timed from start until every row is ``succeeded``.
Needs PostgreSQL: the private cluster of ``make up`` (started if missing). Run: ``python bench/dispatcher_bench.py
[--write]``; results also go to docs/benchmarks.md with ``--write``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import secrets
import socket
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from aiohttp import web
from results import write_section

from talentmind.db.migrate import migrate
from talentmind.db.pool import create_pool
from talentmind.devstack import postgres
from talentmind.netsafety import TargetPolicy, parse_networks
from talentmind.settings import Settings
from talentmind.signatures import new_secret, webhook_headers
from talentmind_dispatcher.worker import DeliveryPolicy, DeliveryWorker

ROOT = Path(__file__).resolve().parents[1]
POLICY = TargetPolicy(allowed_networks=parse_networks(["127.0.0.1/32"]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def receiver_main(port: int) -> None:
    async def hook(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hooks/{n}", hook)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def worker_main(dsn: str, concurrency: int) -> None:
    async def main() -> None:
        settings = Settings(database_url=dsn, db_pool_max=4, _env_file=None)  # type: ignore[call-arg]
        pool = await create_pool(settings)
        policy = DeliveryPolicy(
            target=POLICY,
            schedule_s=(0.0, 1.0),
            timeout_s=10,
            disable_after_s=3600,
            concurrency=concurrency,
            per_endpoint=concurrency,
            poll_interval_s=0.05,
        )
        worker = DeliveryWorker(pool, policy)
        task = asyncio.create_task(worker.run())
        while True:  # the work is shared with another process: watch the table, not a local event
            left = await pool.fetchval("SELECT count(*) FROM webhook_deliveries WHERE status <> 'succeeded'")
            if not left:
                break
            await asyncio.sleep(0.2)
        worker.stop()
        await task
        await pool.close()

    asyncio.run(main())


async def baseline(base: str, n: int, concurrency: int) -> float:
    body = json.dumps({"type": "interview.completed", "data": {"id": "int_x"}}).encode()
    secret = new_secret()
    gate = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:

        async def one(i: int) -> None:
            async with gate:
                headers = webhook_headers([secret], f"msg_{i}", int(time.time()), body)
                async with http.post(f"{base}/hooks/{i % 10}", data=body, headers=headers) as resp:
                    assert resp.status == 204

        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        return n / (time.perf_counter() - start)


async def queue(pool: asyncpg.Pool, base: str, n: int) -> None:
    org = f"org_{secrets.token_hex(4)}"
    await pool.execute("INSERT INTO organizations (id, name) VALUES ($1, $1)", org)
    hooks = [f"wh_{secrets.token_hex(6)}" for _ in range(10)]
    for i, hook in enumerate(hooks):
        await pool.execute(
            "INSERT INTO webhooks (id, org_id, url, events, secret) VALUES ($1, $2, $3, $4, $5)",
            hook,
            org,
            f"{base}/hooks/{i}",
            ["interview.completed"],
            new_secret(),
        )
    rows = [
        (
            f"msg_{uuid.uuid4().hex[:24]}",
            hooks[i % 10],
            org,
            "interview.completed",
            uuid.uuid4(),
            {
                "type": "interview.completed",
                "id": f"m{i}",
                "created_at": "2026-11-29T10:00:00Z",
                "data": {"id": f"int_{i}", "status": "completed", "match": 0.7},
            },
        )
        for i in range(n)
    ]
    await pool.executemany(
        "INSERT INTO webhook_deliveries (id, webhook_id, org_id, event_type, event_id, payload) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        rows,
    )


async def run(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    cluster = settings.local_dir.resolve() / "postgres"
    started_cluster = not postgres.reachable(postgres.dsn_for(settings.local_pg_port, "postgres"))
    admin = postgres.ensure_cluster(cluster, settings.local_pg_port)
    name = f"tm_bench_{secrets.token_hex(3)}"
    dsn = postgres.ensure_database(admin, name)
    migrate(dsn)
    port = free_port()
    receiver = multiprocessing.Process(target=receiver_main, args=(port,), daemon=True)
    receiver.start()
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                await asyncio.sleep(0.05)
        rates = [await baseline(base, args.deliveries, args.concurrency) for _ in range(2)]
        pool = await create_pool(settings.model_copy(update={"database_url": dsn}))
        results = []
        for _ in range(2):
            await pool.execute("TRUNCATE webhook_deliveries CASCADE")
            await queue(pool, base, args.deliveries)
            procs = [
                multiprocessing.Process(target=worker_main, args=(dsn, args.concurrency)) for _ in range(args.processes)
            ]
            start = time.perf_counter()
            for p in procs:
                p.start()
            for p in procs:
                p.join()
            results.append(args.deliveries / (time.perf_counter() - start))
            assert (
                await pool.fetchval("SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'")
                == args.deliveries
            )
        await pool.close()
    finally:
        receiver.terminate()
        postgres.drop_database(admin, name)
        if started_cluster:  # leave the machine as we found it
            postgres.stop_cluster(cluster)
    return {
        "deliveries": args.deliveries,
        "processes": args.processes,
        "concurrency_per_worker": args.concurrency,
        "cores": os.cpu_count(),
        "baseline_per_s": round(max(rates)),
        "dispatcher_per_s": round(max(results)),
        "ratio": round(max(results) / max(rates), 2),
    }


def write_doc(result: dict[str, Any]) -> None:
    section = f"""## Dispatcher (`bench/dispatcher_bench.py`)

{result["deliveries"]} queued deliveries to 10 subscriptions on a local receiver (its own process, answers 204),
{result["processes"]} dispatcher workers (one process each, {result["concurrency_per_worker"]} in flight), PostgreSQL
on the same {result["cores"]}-core machine; best of two runs each (goal: ≥ 1,000 deliveries/s with 2 workers):

| what | per second |
| --- | ---: |
| baseline: the same signed POSTs straight from one aiohttp client, no database | {result["baseline_per_s"]} |
| dispatcher: claim, sign, POST, log the attempt, mark succeeded | **{result["dispatcher_per_s"]}** |

Dispatcher throughput is {result["ratio"]} × the plain-HTTP baseline measured in the same run."""
    write_section("dispatcher", section)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=5000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print(json.dumps(result, indent=2))
    if args.write:
        write_doc(result)


if __name__ == "__main__":
    main()
