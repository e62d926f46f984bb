"""Transcriber processes killed or stopped in the middle of a job (real subprocesses, real PostgreSQL and Kafka).

* SIGKILL mid-transcription: the lease expires, another process takes the job again (a second attempt, counted in
  the row), and the interview is transcribed and announced once.
* A job that kills its process every time: after ``transcriber_max_attempts`` the interview fails with
  ``transcription_crashed`` instead of being retried forever (issue 10: attempts were counted in memory).
* SIGTERM mid-transcription: the process exits within its grace (it took 17 s before), the job is handed back with
  its attempt undone, and a restarted transcriber completes it.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import aiohttp
import asyncpg

from talentmind.db.outbox import enqueue
from talentmind.events import InterviewRequested, InterviewRequestedData
from talentmind_transcriber.jobs import CRASHED_CODE
from tests.conftest import Infra, serve, wait_for
from tests.integration.conftest import Stack, isolated_stack
from tests.integration.service_proc import ServiceProcess
from tests.integration.transcriber.test_service import MediaServer


async def submit(stack: Stack, org_id: str, url: str) -> str:
    """An interview and its interview.requested event, as the gateway writes them (row and outbox together)."""
    interview_id = f"int_{secrets.token_hex(6)}"
    event = InterviewRequested(
        org_id=org_id,
        data=InterviewRequestedData(
            interview_id=interview_id, candidate_id="c", vacancy_id="v", source="url", media_url=url, language="en"
        ),
    )
    async with stack.pool.acquire() as conn, conn.transaction():
        await conn.execute(
            "INSERT INTO interviews (id, org_id, candidate_id, vacancy_id, source, media_url) "
            "VALUES ($1, $2, 'c', 'v', 'url', $3)",
            interview_id,
            org_id,
            url,
        )
        await enqueue(conn, event)
    return interview_id


async def job(pool: asyncpg.Pool, interview_id: str) -> asyncpg.Record:
    row: asyncpg.Record = await pool.fetchrow(
        "SELECT state, attempts, locked_until <= now() AS free, last_error FROM transcription_jobs "
        "WHERE interview_id = $1",
        interview_id,
    )
    return row


async def count(pool: asyncpg.Pool, interview_id: str, topic: str) -> int:
    n: int = await pool.fetchval("SELECT count(*) FROM outbox WHERE key = $1 AND topic = $2", interview_id, topic)
    return n


async def test_killed_mid_transcription_finishes_once(
    infra: Infra, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    server = MediaServer()
    runner, server.base = await serve(server.app())
    procs: list[ServiceProcess] = []
    try:
        async with isolated_stack(infra, http, tmp_path) as stack:
            client = await stack.client()
            interview_id = await submit(stack, client.org_id, f"{server.base}/media/en_interview.mp3")
            first = await ServiceProcess.start("transcriber", stack.settings)
            procs.append(first)
            await first.wait_log("recognition started", interview_id=interview_id)
            await first.kill()
            assert (
                await stack.pool.fetchval("SELECT count(*) FROM transcripts WHERE interview_id = $1", interview_id) == 0
            )
            assert (await job(stack.pool, interview_id))["attempts"] == 1

            survivor = await ServiceProcess.start("transcriber", stack.settings)
            procs.append(survivor)
            await survivor.wait_log("interview transcribed", interview_id=interview_id)

            async def announced() -> bool:
                return await count(stack.pool, interview_id, "interview.transcribed") > 0

            await wait_for(announced, 30)
            row = await job(stack.pool, interview_id)
            # The job is done (no worker can take it again) after exactly two attempts, and its effects are single.
            assert (row["state"], row["attempts"]) == ("done", 2)
            assert (
                await stack.pool.fetchval("SELECT count(*) FROM transcripts WHERE interview_id = $1", interview_id) == 1
            )
            assert await count(stack.pool, interview_id, "interview.transcribed") == 1
            assert survivor.logged("transcription started", interview_id=interview_id, attempt=2)
    finally:
        for proc in procs:
            await proc.close()
        await runner.cleanup()


async def test_a_job_that_kills_its_process_every_time_fails_after_the_attempt_limit(
    infra: Infra, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    server = MediaServer()
    runner, server.base = await serve(server.app())
    procs: list[ServiceProcess] = []
    limit = {"TM_TRANSCRIBER_MAX_ATTEMPTS": "2"}
    try:
        async with isolated_stack(infra, http, tmp_path) as stack:
            client = await stack.client()
            interview_id = await submit(stack, client.org_id, f"{server.base}/media/en_interview.mp3")
            for attempt in (1, 2):  # the recording "kills" each process that tries it (as the OOM killer would)
                proc = await ServiceProcess.start("transcriber", stack.settings, **limit)
                procs.append(proc)
                await proc.wait_log("recognition started", interview_id=interview_id)
                await proc.kill()
                assert (await job(stack.pool, interview_id))["attempts"] == attempt

            last = await ServiceProcess.start("transcriber", stack.settings, **limit)
            procs.append(last)

            async def failed() -> bool:
                status = await stack.pool.fetchval("SELECT status FROM interviews WHERE id = $1", interview_id)
                return bool(status == "failed")

            await wait_for(failed, 120)
            row = await stack.pool.fetchrow(
                "SELECT error_code, error_message FROM interviews WHERE id = $1", interview_id
            )
            assert row["error_code"] == CRASHED_CODE and "2 attempts" in row["error_message"], dict(row)
            assert (await job(stack.pool, interview_id))["state"] == "failed"
            assert await count(stack.pool, interview_id, "interview.failed") == 1
            assert not last.logged("transcription started", interview_id=interview_id)  # not tried a third time
            assert (
                await stack.pool.fetchval("SELECT count(*) FROM transcripts WHERE interview_id = $1", interview_id) == 0
            )
    finally:
        for proc in procs:
            await proc.close()
        await runner.cleanup()


async def test_sigterm_mid_transcription_hands_the_job_back_within_the_grace(
    infra: Infra, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    server = MediaServer()
    runner, server.base = await serve(server.app())
    procs: list[ServiceProcess] = []
    grace_s = 2.0
    try:
        async with isolated_stack(infra, http, tmp_path) as stack:
            client = await stack.client()
            # The two-minute sample takes far longer than the grace to recognise on a CPU.
            interview_id = await submit(stack, client.org_id, f"{server.base}/media/sample_interview.m4a")
            first = await ServiceProcess.start("transcriber", stack.settings, TM_SHUTDOWN_GRACE_S=str(grace_s))
            procs.append(first)
            await first.wait_log("recognition started", interview_id=interview_id)
            took = await first.terminate(timeout_s=grace_s + 20)
            print(f"transcriber exited {took:.1f} s after SIGTERM (grace {grace_s} s)")
            assert first.proc.returncode == 0
            assert first.logged("transcription handed back", interview_id=interview_id, released=True)
            row = await job(stack.pool, interview_id)
            # Handed back at once and the attempt undone: a deploy is not a crash.
            assert (row["state"], row["attempts"], row["free"]) == ("queued", 0, True), dict(row)

            second = await ServiceProcess.start("transcriber", stack.settings)
            procs.append(second)
            await second.wait_log("interview transcribed", interview_id=interview_id, timeout_s=300)

            async def announced() -> bool:
                return await count(stack.pool, interview_id, "interview.transcribed") > 0

            await wait_for(announced, 30)
            row = await job(stack.pool, interview_id)
            assert (row["state"], row["attempts"]) == ("done", 1)
            assert await count(stack.pool, interview_id, "interview.transcribed") == 1
    finally:
        for proc in procs:
            await proc.close()
        await runner.cleanup()
