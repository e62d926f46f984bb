"""A service as a real subprocess (``python -m talentmind_<service>.main``, so the process settings of production
apply) against a test stack, with its JSON log read continuously (a pipe nobody reads would block the process once
full) and searchable by the tests."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from typing import Any

import aiohttp

from talentmind.settings import Settings
from tests.conftest import ROOT, free_port, wait_for

# Short leases and polls, so that a killed transcriber's job is taken again within seconds.
TRANSCRIBER_ENV = {
    "TM_MODEL_CACHE_DIR": str(ROOT / ".local" / "models"),
    "TM_ASR_CPU_THREADS": "1",
    "TM_TRANSCRIBER_LEASE_S": "3",
    "TM_TRANSCRIBER_POLL_INTERVAL_S": "0.2",
}


class ServiceProcess:
    def __init__(self, service: str, proc: asyncio.subprocess.Process, port: int) -> None:
        self.service = service
        self.proc = proc
        self.base = f"http://127.0.0.1:{port}"
        self.records: list[dict[str, Any]] = []
        self._eof = False
        self._changed = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, service: str, settings: Settings, **env: str) -> ServiceProcess:
        """``service``'s main against the stack of ``settings``, on a free port; ``env``: settings of its own."""
        port = free_port()
        full_env = {
            **os.environ,
            "TM_DATABASE_URL": settings.database_url,
            "TM_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
            "TM_TOPIC_PREFIX": settings.topic_prefix,
            f"TM_{service.upper()}_HOST": "127.0.0.1",
            f"TM_{service.upper()}_PORT": str(port),
            "TM_MEDIA_DIR": str(settings.media_dir),
            "TM_ALLOWED_PRIVATE_NETWORKS": '["127.0.0.1/32"]',
            "TM_LOG_FORMAT": "json",
            **(TRANSCRIBER_ENV if service == "transcriber" else {}),
            **env,
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            f"talentmind_{service}.main",
            env=full_env,
            cwd=ROOT,
            stderr=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
        )
        return cls(service, proc, port)

    async def ready(self, http: aiohttp.ClientSession, timeout_s: float = 180) -> None:
        """Wait until ``/readyz`` answers 200 (fails when the process exits first)."""

        async def answered() -> bool:
            if self.proc.returncode is not None:
                raise AssertionError(f"{self.service} exited with {self.proc.returncode} before it was ready")
            with contextlib.suppress(aiohttp.ClientError):
                async with http.get(f"{self.base}/readyz") as resp:
                    return resp.status == 200
            return False

        await wait_for(answered, timeout_s=timeout_s, interval_s=0.2)

    async def _read(self) -> None:
        assert self.proc.stderr is not None
        while line := await self.proc.stderr.readline():
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if isinstance(record, dict):
                    async with self._changed:
                        self.records.append(record)
                        self._changed.notify_all()
        async with self._changed:
            self._eof = True
            self._changed.notify_all()  # the process has exited: waiters stop waiting

    def logged(self, message: str, **fields: Any) -> list[dict[str, Any]]:
        return [
            r for r in self.records if r.get("message") == message and all(r.get(k) == v for k, v in fields.items())
        ]

    async def wait_log(self, message: str, timeout_s: float = 180, **fields: Any) -> dict[str, Any]:
        """The first log record with ``message`` (and ``fields``); fails when the process exits without it."""

        async def found() -> dict[str, Any]:
            async with self._changed:
                while not self.logged(message, **fields):
                    if self._eof:
                        raise AssertionError(f"{self.service} exited before logging {message!r} {fields}")
                    await self._changed.wait()
                return self.logged(message, **fields)[0]

        return await asyncio.wait_for(found(), timeout_s)

    async def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        await self._reader

    async def terminate(self, timeout_s: float) -> float:
        """SIGTERM; seconds until the process exited (fails past ``timeout_s``)."""
        loop = asyncio.get_running_loop()
        sent = loop.time()
        self.proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(self.proc.wait(), timeout_s)
        took = loop.time() - sent
        await self._reader
        return took

    async def close(self) -> None:
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 60)
            except TimeoutError:
                self.proc.send_signal(signal.SIGKILL)
                await self.proc.wait()
        with contextlib.suppress(Exception):
            await self._reader
