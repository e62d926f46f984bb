"""run_detached: results and errors come back to the awaiting side; the thread never holds the process."""

from __future__ import annotations

import asyncio
import threading

import pytest

from talentmind_transcriber.threads import run_detached, still_running


async def test_result_and_error_reach_the_caller() -> None:
    assert await run_detached(lambda a, *, b: a + b, 2, b=3) == 5

    def boom() -> None:
        raise ValueError("bad media")

    with pytest.raises(ValueError, match="bad media"):
        await run_detached(boom)


async def test_the_work_runs_on_a_daemon_thread_and_a_cancelled_wait_abandons_it() -> None:
    started, release, finished = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def blocking() -> int:
        seen.append(threading.current_thread().daemon)
        started.set()
        release.wait(30)
        finished.set()
        return 1

    waiter = asyncio.ensure_future(run_detached(blocking))
    assert await asyncio.to_thread(started.wait, 10)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert seen == [True]  # a daemon thread: interpreter exit does not wait for it
    assert still_running() == 1  # abandoned, not finished: the transcriber's main exits without finalising
    release.set()  # the late result finds nobody waiting, and nothing breaks
    assert await asyncio.to_thread(finished.wait, 10)
    await asyncio.sleep(0)  # let the late result's callback run
    for thread in threading.enumerate():
        if thread.name.startswith("detached-"):
            thread.join(10)
    assert still_running() == 0
