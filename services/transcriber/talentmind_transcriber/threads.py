"""Blocking work on a daemon thread, awaited from the event loop.

``asyncio.to_thread`` runs on the loop's default executor, whose threads are joined when the process exits: a
transcription that is still decoding would hold a shutting-down transcriber until it finishes (minutes for a long
recording), long after its job was handed back. A daemon thread is not waited for, so the process exits once its
jobs are released; the abandoned work dies with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
_running: set[threading.Thread] = set()


def still_running() -> int:
    """How many detached threads have not finished (abandoned work included)."""
    return sum(t.is_alive() for t in list(_running))


async def run_detached(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``fn`` on a new daemon thread and await its result. Cancelling the await abandons the thread (it runs
    on, unobserved: ask it to stop through its own means, such as a cancel flag)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    context = contextvars.copy_context()  # log and trace context, as to_thread keeps it

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return  # the awaiting side was cancelled
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def target() -> None:
        try:
            result = context.run(fn, *args, **kwargs)
        except BaseException as exc:  # handed to the awaiting side, which decides
            outcome: tuple[T | None, BaseException | None] = (None, exc)
        else:
            outcome = (result, None)
        finally:
            _running.discard(threading.current_thread())
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits for this any more
            loop.call_soon_threadsafe(settle, *outcome)

    thread = threading.Thread(target=target, name=f"detached-{getattr(fn, '__name__', 'work')}", daemon=True)
    _running.add(thread)
    thread.start()
    return await future
