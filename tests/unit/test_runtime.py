"""The rule that a long-running task dying stops its process (so the orchestrator restarts it), while stopping it
on purpose does not."""

from __future__ import annotations

import asyncio

import pytest

from talentmind import runtime


async def test_a_registered_task_that_dies_stops_the_process_and_a_stopped_one_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    died: list[str] = []
    monkeypatch.setattr(runtime, "_on_dead_task", died.append)
    tasks: dict[str, asyncio.Task[None]] = {}
    crash = asyncio.Event()
    stopping = asyncio.Event()

    async def crashes() -> None:
        await crash.wait()
        raise RuntimeError("lost its connection for good")

    async def runs_until_stopped() -> None:
        await stopping.wait()

    async with (
        runtime.background(crashes(), lambda: None, name="relay", tasks=tasks),
        runtime.background(runs_until_stopped(), stopping.set, name="worker", tasks=tasks),
    ):
        crash.set()
        await asyncio.wait([tasks["relay"]])
        await asyncio.sleep(0)  # done callbacks run on the next loop iteration
        assert died == ["relay"]
    assert died == ["relay"]  # the worker was stopped on purpose at the end of the block
