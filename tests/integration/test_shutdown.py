"""Graceful shutdown is bounded: SIGTERM makes every service hand its work back and exit within
``shutdown_grace_s`` (plus the time to close its connections), with status 0, so that a deploy neither waits on it
nor counts as a crash. Real service processes against a stack of their own. (The transcriber, whose work is long,
has its own test mid-transcription in ``transcriber/test_redelivery.py``.)"""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from tests.conftest import Infra
from tests.integration.conftest import isolated_stack
from tests.integration.service_proc import ServiceProcess

GRACE_S = 3.0


@pytest.mark.parametrize("service", ["gateway", "scorer", "dispatcher"])
async def test_sigterm_stops_the_service_within_the_grace(
    service: str, infra: Infra, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    async with isolated_stack(infra, http, tmp_path) as stack:
        proc = await ServiceProcess.start(service, stack.settings, TM_SHUTDOWN_GRACE_S=str(GRACE_S))
        try:
            await proc.ready(http)
            # a generous bound for a busy machine; the measured time is printed
            took = await proc.terminate(timeout_s=GRACE_S + 30)
            print(f"{service} exited {took:.1f} s after SIGTERM (grace {GRACE_S} s)")
            assert proc.proc.returncode == 0
            assert proc.logged("consumer stopped") or service == "gateway"
        finally:
            await proc.close()
