"""Half-open and slow-header clients cannot hold the gateway: a real gateway process (its own ``main``, so the
server settings of production apply) closes connections whose request has not arrived within
``http_idle_timeout_s``, while ordinary requests keep being served."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest_asyncio

from tests.conftest import Infra, wait_for
from tests.integration.conftest import Stack, isolated_stack
from tests.integration.service_proc import ServiceProcess

IDLE_TIMEOUT_S = 2.0
SILENT = 60
TRICKLING = 60


@pytest_asyncio.fixture
async def gateway_process(
    infra: Infra, http: aiohttp.ClientSession, tmp_path: Path
) -> AsyncIterator[tuple[ServiceProcess, Stack]]:
    async with isolated_stack(infra, http, tmp_path) as stack:
        proc = await ServiceProcess.start("gateway", stack.settings, TM_HTTP_IDLE_TIMEOUT_S=str(IDLE_TIMEOUT_S))
        try:
            await proc.ready(http)
            yield proc, stack
        finally:
            await proc.close()


async def _closed_by_server(reader: asyncio.StreamReader) -> float:
    """Seconds until the server closed the connection (EOF or a reset)."""
    started = time.monotonic()
    with contextlib.suppress(ConnectionError):
        while await reader.read(1024):
            pass
    return time.monotonic() - started


async def _silent(port: int) -> float:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        return await _closed_by_server(reader)
    finally:
        writer.close()


async def _trickling(port: int) -> float:
    """A slowloris: a request line, then one header byte every 0.3 s, never finishing the headers."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)

    async def trickle() -> None:
        writer.write(b"GET /v1/interviews HTTP/1.1\r\nHost: gateway\r\nX-Slow: ")
        with contextlib.suppress(ConnectionError):
            while True:
                await asyncio.sleep(0.3)
                writer.write(b"a")
                await writer.drain()

    sender = asyncio.create_task(trickle())
    try:
        return await _closed_by_server(reader)
    finally:
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sender
        writer.close()


def _open_sockets(pid: int) -> int:
    return sum(1 for fd in Path(f"/proc/{pid}/fd").iterdir() if os.readlink(fd).startswith("socket:"))


async def test_half_open_and_slow_header_connections_are_closed_while_requests_are_served(
    gateway_process: tuple[ServiceProcess, Stack], http: aiohttp.ClientSession
) -> None:
    gateway, stack = gateway_process
    proc = gateway.proc
    port = int(gateway.base.rsplit(":", 1)[1])
    baseline = _open_sockets(proc.pid)
    client = await stack.client()
    client.base = gateway.base
    held = [asyncio.create_task(_silent(port)) for _ in range(SILENT)]
    held += [asyncio.create_task(_trickling(port)) for _ in range(TRICKLING)]

    async def all_connected() -> bool:
        return _open_sockets(proc.pid) >= baseline + SILENT + TRICKLING

    await wait_for(all_connected, timeout_s=60)
    # While they are held, an ordinary client is served.
    status, body, _ = await client.call("GET", "/v1/interviews")
    assert status == 200, body

    # Every one is closed by the server; a generous deadline, since the machine may be busy.
    done, pending = await asyncio.wait(held, timeout=120)
    assert not pending, f"{len(pending)} of {len(held)} connections still held"
    closed_after = sorted(t.result() for t in done)
    print(f"held connections closed after {closed_after[0]:.1f}..{closed_after[-1]:.1f} s (timeout {IDLE_TIMEOUT_S} s)")
    # A trickle of header bytes does not extend the time a connection may take to send its request.
    assert closed_after[-1] < 60

    async def released() -> bool:
        return _open_sockets(proc.pid) <= baseline + 5

    await wait_for(released, timeout_s=60)
    status, body, _ = await client.call("GET", "/v1/interviews")
    assert status == 200, body
