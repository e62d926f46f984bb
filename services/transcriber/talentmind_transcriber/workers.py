"""The transcriber's workers: N jobs at once, taken fairly from ``transcription_jobs``, held under a lease.

Each worker loops: claim a job (``jobs.claim``), run ``InterviewTranscription.process`` on it while a heartbeat
renews its lease, repeat; idle workers wait for a local wake-up (a job queued by this process) or the poll
interval (a job queued by another replica).

* A job that raises unexpectedly is put back with backoff; its attempt stays counted (the attempt limit ends a job
  that always fails), unless the error was an infrastructure outage.
* A worker that loses its lease (its heartbeats did not land for a whole lease and another worker took the job)
  stops its copy of the work; the other worker's result is the one that counts (the event id claim sees to it).
* Shutdown (``stop``, called when SIGTERM starts the app's shutdown): no new claims; running jobs get until the
  shared deadline (``grace_s`` after the stop) to finish; the others are cancelled (the recognition thread is
  asked to stop at its next batch and otherwise abandoned: it runs on a daemon thread, see ``threads.py``) and
  their leases released with the attempt undone, so a restarted transcriber takes them at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from dataclasses import dataclass

import asyncpg

from talentmind.outages import is_outage
from talentmind.retry import backoff_delay
from talentmind.settings import Settings
from talentmind_transcriber import jobs, metrics
from talentmind_transcriber.handlers import InterviewTranscription
from talentmind_transcriber.jobs import Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerPolicy:
    concurrency: int = 2
    max_per_org: int = 1
    max_attempts: int = 3
    lease_s: float = 60.0
    poll_interval_s: float = 1.0
    grace_s: float = 10.0
    retry_initial_s: float = 0.5
    retry_max_s: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkerPolicy:
        return cls(
            concurrency=settings.transcriber_concurrency,
            max_per_org=settings.transcriber_max_jobs_per_org,
            max_attempts=settings.transcriber_max_attempts,
            lease_s=settings.transcriber_lease_s,
            poll_interval_s=settings.transcriber_poll_interval_s,
            grace_s=settings.shutdown_grace_s,
            retry_initial_s=settings.consumer_backoff_initial_s,
            retry_max_s=settings.consumer_backoff_max_s,
        )


class TranscriptionWorkers:
    """The workers of one process. They share one stop signal and one shutdown deadline, so that stopping N workers
    one after another (the app's cleanup does that) still takes ``grace_s`` in all, not N times it."""

    def __init__(self, pool: asyncpg.Pool, transcription: InterviewTranscription, policy: WorkerPolicy) -> None:
        self.pool = pool
        self.transcription = transcription
        self.policy = policy
        self._stopping = asyncio.Event()
        self._wakeup = asyncio.Event()
        self._deadline: float | None = None

    def wake(self) -> None:
        """A job was queued: idle workers look now instead of at their next poll."""
        self._wakeup.set()

    def stop(self) -> None:
        if self._deadline is None:
            self._deadline = asyncio.get_running_loop().time() + self.policy.grace_s
            log.info("transcription workers stopping", extra={"grace_s": self.policy.grace_s})
        self._stopping.set()
        self._wakeup.set()

    async def run(self, name: str) -> None:
        while not self._stopping.is_set():
            job = await self._claim()
            if job is None:
                await self._idle()
                continue
            if self._stopping.is_set():  # stopped while claiming: hand it straight back
                await self._release(job, "shutdown")
                return
            await self._run(job, name)

    async def _claim(self) -> Job | None:
        policy = self.policy
        try:
            claimed = await jobs.claim(
                self.pool, lease_s=policy.lease_s, max_per_org=policy.max_per_org, max_attempts=policy.max_attempts
            )
        except Exception as exc:
            if is_outage(exc):
                log.warning("claiming a transcription job: database unavailable", extra={"error": repr(exc)})
            else:
                log.exception("claiming a transcription job failed")
            return None
        metrics.JOBS.labels("queued").set(claimed.queued)
        metrics.JOBS.labels("running").set(claimed.running)
        if claimed.crashed:
            metrics.JOBS_CRASHED.inc(len(claimed.crashed))
            log.error(
                "transcriptions failed after their attempts ran out",
                extra={"interview_ids": claimed.crashed, "code": jobs.CRASHED_CODE, "attempts": policy.max_attempts},
            )
        if claimed.job is not None:
            metrics.QUEUE_WAIT_SECONDS.observe(claimed.job.waited_s)
        return claimed.job

    async def _idle(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), self.policy.poll_interval_s)
        self._wakeup.clear()

    async def _run(self, job: Job, name: str) -> None:
        cancel = threading.Event()
        work = asyncio.create_task(self.transcription.process(job.event, job=job, cancel=cancel))
        work.set_name(f"{name}:{job.interview_id}")
        beat = asyncio.create_task(self._heartbeat(job, work, cancel))
        stopping = asyncio.create_task(self._stopping.wait())
        try:
            await asyncio.wait({work, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not work.done():
                assert self._deadline is not None
                remaining = self._deadline - asyncio.get_running_loop().time()
                await asyncio.wait({work}, timeout=max(0.0, remaining))
            if not work.done():
                await self._hand_back(job, work, cancel, "shutdown")
            else:
                await self._settle(job, work)
        except asyncio.CancelledError:
            # The app's backstop cancelled this worker (it outlived the grace): the lease must still go back.
            await self._hand_back(job, work, cancel, "shutdown")
            raise
        finally:
            beat.cancel()
            stopping.cancel()

    async def _heartbeat(self, job: Job, work: asyncio.Task[None], cancel: threading.Event) -> None:
        while True:
            await asyncio.sleep(self.policy.lease_s / 3)
            try:
                held = await jobs.heartbeat(self.pool, job, self.policy.lease_s)
            except Exception as exc:  # an outage: the next beat tries again, the lease has room for two misses
                log.warning(
                    "renewing a job's lease failed", extra={"interview_id": job.interview_id, "error": repr(exc)}
                )
                continue
            if not held:
                log.warning(
                    "job lease lost; its work is left to the worker holding it",
                    extra={"interview_id": job.interview_id},
                )
                metrics.JOBS_TAKEN_BACK.labels("lease_lost").inc()
                cancel.set()
                work.cancel()
                return

    async def _hand_back(self, job: Job, work: asyncio.Task[None], cancel: threading.Event, reason: str) -> None:
        cancel.set()  # the recognition thread stops at its next batch
        work.cancel()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await work
        await self._release(job, reason)

    async def _release(self, job: Job, reason: str) -> None:
        try:
            released = await jobs.release(self.pool, job)
        except Exception as exc:
            released = False
            log.warning("releasing a job failed; its lease expires instead", extra={"error": repr(exc)})
        metrics.JOBS_TAKEN_BACK.labels(reason).inc()
        log.warning(
            "transcription handed back",
            extra={"interview_id": job.interview_id, "reason": reason, "released": released},
        )

    async def _settle(self, job: Job, work: asyncio.Task[None]) -> None:
        if work.cancelled():
            return  # the lease was lost (see _heartbeat)
        error = work.exception()
        if error is None:
            return
        outage = is_outage(error)
        delay = backoff_delay(job.attempt, self.policy.retry_initial_s, self.policy.retry_max_s)
        if outage:
            log.warning(
                "transcription job hit an outage; retrying",
                extra={"interview_id": job.interview_id, "error": repr(error)},
            )
        else:
            log.error(
                "transcription job failed unexpectedly; retrying",
                exc_info=error,
                extra={"interview_id": job.interview_id, "attempt": job.attempt, "delay_s": round(delay, 2)},
            )
        try:
            await jobs.retry_later(self.pool, job, delay, repr(error), count=not outage)
        except Exception as exc:
            log.warning("putting a job back failed; its lease expires instead", extra={"error": repr(exc)})
        metrics.JOBS_TAKEN_BACK.labels("outage" if outage else "error").inc()
