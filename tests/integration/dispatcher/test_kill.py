"""A dispatcher process killed (SIGKILL) between two attempts of a delivery: the retry still happens, once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from tests.conftest import Infra, serve, wait_for
from tests.integration.conftest import Stack, isolated_stack
from tests.integration.dispatcher.test_delivery import Receiver, enqueue_delivery, subscribe
from tests.integration.service_proc import ServiceProcess


async def start_dispatcher(stack: Stack) -> ServiceProcess:
    return await ServiceProcess.start(
        "dispatcher",
        stack.settings,
        TM_WEBHOOK_RETRY_SCHEDULE_S="[0, 3, 3]",
        TM_DISPATCHER_POLL_INTERVAL_S="0.1",
    )


async def test_killed_between_attempts_the_retry_happens_once(
    infra: Infra, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    receiver = Receiver(script={"retry": [500]})
    runner, receiver.base = await serve(receiver.app())
    async with isolated_stack(infra, http, tmp_path) as stack:
        client = await stack.client()
        hook_id, _ = await subscribe(stack.pool, client, f"{receiver.base}/hooks/retry")
        delivery = await enqueue_delivery(stack.pool, client, hook_id)
        first = await start_dispatcher(stack)
        second = None
        try:

            async def attempted(n: int) -> bool:
                count = await stack.pool.fetchval(
                    "SELECT count(*) FROM webhook_attempts WHERE delivery_id = $1", delivery
                )
                return bool(count >= n)

            await wait_for(lambda: attempted(1), 60)  # the first attempt got a 500; the retry is 3 s away
            await first.kill()
            assert (
                await stack.pool.fetchval("SELECT status FROM webhook_deliveries WHERE id = $1", delivery) == "pending"
            )
            second = await start_dispatcher(stack)
            await wait_for(lambda: attempted(2), 60)
            await asyncio.sleep(4)  # room for a wrong extra attempt
            assert [h["webhook-id"] for _, h, _ in receiver.of("retry")] == [delivery, delivery]
            assert (
                await stack.pool.fetchval("SELECT status FROM webhook_deliveries WHERE id = $1", delivery)
                == "succeeded"
            )
        finally:
            for proc in (first, second):
                if proc is not None:
                    await proc.close()
            await runner.cleanup()
