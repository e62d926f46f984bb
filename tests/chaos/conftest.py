"""The chaos suite's stack: the whole platform as real processes (``talentmind up``), with faults injected into it.

One stack serves the whole session (starting PostgreSQL, Kafka and four services costs about a minute on a two-core
machine): a private local dir and free ports, so it never meets another test session's servers. Each test gets its
own organisation, API key and webhook receiver (a real HTTP server in this process, subscribed through the API), so
its counts are its own even on a shared stack. Faults are real: ``kill -9`` of a service's PID from the stack's run
dir, ``pg_ctl stop`` of the cluster, SIGTERM of the broker; recovery goes through ``talentmind up``, which starts only
what is down. The session stops everything it started, by PID, and fails if any process is left.

Numbers each test measures (counts, recovery times, peak memory) are collected in ``RESULTS``, printed at the end of
the run and written to ``.local/chaos-summary.md`` (``TM_CHAOS_SUMMARY`` overrides).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import aiohttp
import psycopg
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from talentmind.devstack import kafka as local_kafka
from talentmind.devstack import postgres as local_pg
from talentmind.devstack.procs import pid_alive, read_pid
from tests.conftest import ROOT
from tests.local_stacks import SERVICES, local_stack_env, private_stack_dir

WEBHOOK_EVENTS = ("interview.completed", "report.ready")
RESULTS: dict[str, dict[str, Any]] = {}
"""Test name -> what it measured; printed and written at the end of the session."""


def wait_for(
    predicate: Callable[[], bool], timeout_s: float, what: str, describe: Callable[[], str] = lambda: ""
) -> float:
    """Poll ``predicate()`` until it holds (the suite waits on conditions, never for a fixed time); return the
    seconds it took, or fail naming ``what`` and ``describe()`` once ``timeout_s`` has passed."""
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout_s:
            raise AssertionError(f"not within {timeout_s:.0f} s: {what}. {describe()}")
        time.sleep(0.5)
    return time.monotonic() - started


# --- the stack -------------------------------------------------------------------------------------------------


@dataclass
class Stack:
    local_dir: Path
    env: dict[str, str]
    seen_pids: set[int] = field(default_factory=set)
    """Every PID this session's stack has had (services restart with new ones): all must be gone at the end."""

    @property
    def run_dir(self) -> Path:
        return self.local_dir / "run"

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.env['TM_GATEWAY_PORT']}"

    @property
    def database_url(self) -> str:
        return self.env["TM_DATABASE_URL"]

    def cli(self, *args: str, timeout_s: float = 400) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "talentmind.cli", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )

    def up(self) -> float:
        """``talentmind up``: starts whatever is down (it reuses what answers) and waits until every service is
        ready; return the seconds it took."""
        started = time.monotonic()
        done = self.cli("up")
        assert done.returncode == 0, f"talentmind up failed:\n{done.stderr[-4000:]}"
        self.seen_pids.update(self.pids().values())
        return time.monotonic() - started

    def down(self) -> subprocess.CompletedProcess[str]:
        return self.cli("down")

    def pid(self, service: str) -> int:
        pid = read_pid(service, self.run_dir)
        assert pid is not None, f"no pid file for {service}"
        return pid

    def pids(self) -> dict[str, int]:
        """PIDs of the four services, the broker and the postmaster, from the stack's own files."""
        found = {name: pid for name in SERVICES if (pid := read_pid(name, self.run_dir)) is not None}
        broker = read_pid(local_kafka.PROCESS, self.local_dir / "kafka")
        if broker is not None:
            found["kafka"] = broker
        postmaster = self.local_dir / "postgres" / "data" / "postmaster.pid"
        if postmaster.exists():
            found["postgres"] = int(postmaster.read_text().splitlines()[0])
        return found

    def kill9(self, service: str) -> int:
        """``kill -9`` of a service process; return when it is gone."""
        pid = self.pid(service)
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda: not pid_alive(pid), 30, f"{service} (pid {pid}) to die after SIGKILL")
        return pid

    def stop_postgres(self) -> None:
        assert local_pg.stop_cluster(self.local_dir / "postgres"), "the stack's PostgreSQL was not running"

    def stop_kafka(self) -> None:
        assert local_kafka.stop_broker(self.local_dir / "kafka"), "the stack's Kafka broker was not running"

    def db(self) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(self.database_url, autocommit=True, connect_timeout=5)

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.run_dir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def log_lines(self) -> dict[str, int]:
        """Lines in each service's log so far (to measure how much an outage writes)."""
        out = {}
        for name in SERVICES:
            path = self.run_dir / f"{name}.log"
            with open(path, "rb") as f:
                out[name] = sum(1 for _ in f)
        return out

    def peak_rss_mib(self) -> dict[str, dict[str, float]]:
        """VmHWM (peak resident set since the process started) and VmRSS of each process, in MiB."""
        out: dict[str, dict[str, float]] = {}
        for name, pid in self.pids().items():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            fields = {line.split(":")[0]: line.split()[1] for line in status.splitlines() if line.startswith("Vm")}
            out[name] = {"peak_mib": int(fields["VmHWM"]) / 1024, "rss_mib": int(fields["VmRSS"]) / 1024}
        return out


def stack_env(local_dir: Path) -> dict[str, str]:
    return local_stack_env(
        local_dir,
        TM_MEDIA_DIR=str(local_dir / "media"),
        # The test's webhook receiver and media server listen on plain http on loopback: the local stack's
        # private targets (which also allow http) and the loopback network named explicitly.
        TM_ALLOW_PRIVATE_TARGETS="true",
        TM_ALLOWED_PRIVATE_NETWORKS='["127.0.0.1/32"]',
        # 200 interviews are submitted at once by one key; the per-key limit is not what this suite tests.
        TM_RATE_LIMIT_BURST="10000",
        TM_RATE_LIMIT_PER_MINUTE="100000",
        # An attempt's lock is 2 × timeout + 30 s: a dispatcher killed mid-attempt has its rows sent again after
        # 40 s instead of 60 s. Failed attempts are retried within seconds, not the production 5 min.
        TM_WEBHOOK_TIMEOUT_S="5",
        TM_WEBHOOK_RETRY_SCHEDULE_S="[0, 1, 2, 5, 10, 20, 30, 60]",
        # A transcriber restart loads the speech model on two busy cores.
        TM_READY_TIMEOUT_S="300",
    )


@pytest.fixture(scope="session")
def stack(request: pytest.FixtureRequest) -> Iterator[Stack]:
    local_dir = private_stack_dir("tm-chaos-")
    s = Stack(local_dir, stack_env(local_dir))
    started = time.monotonic()
    RESULTS["stack"] = {}
    try:
        s.up()
        RESULTS["stack"]["first_up_s"] = round(time.monotonic() - started, 1)
        yield s
    finally:
        s.seen_pids.update(s.pids().values())
        down = s.down()
        deadline = time.monotonic() + 30  # a postmaster takes a moment to exit after its pid file is gone
        while [p for p in s.seen_pids if pid_alive(p)] and time.monotonic() < deadline:
            time.sleep(0.2)
        leftovers = [p for p in s.seen_pids if pid_alive(p)]
        for pid in leftovers:  # ours, by PID: never leave them running, even when the test fails
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if request.session.testsfailed or leftovers or down.returncode != 0:
            RESULTS["stack"]["kept_for_its_logs"] = str(local_dir)
        else:
            shutil.rmtree(local_dir, ignore_errors=True)
        RESULTS["stack"]["suite_s"] = round(time.monotonic() - started, 1)
        _write_summary()
        assert down.returncode == 0, down.stderr[-2000:]
        assert leftovers == [], f"processes left after talentmind down: {leftovers}"


# --- a tenant: organisation, key, webhook receiver -----------------------------------------------------------


@dataclass
class Received:
    webhook_id: str
    type: str
    interview_id: str
    signature_ok: bool


class Receiver(ThreadingHTTPServer):
    """A customer's webhook endpoint: records every delivery and verifies its signature."""

    daemon_threads = True

    def __init__(self, latency_s: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)
        self.latency_s = latency_s
        self.secret: str | None = None
        self.lock = threading.Lock()
        self.deliveries: list[Received] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/talentmind"

    def record(self, body: bytes, headers: dict[str, str]) -> None:
        message = json.loads(body)
        data = message["data"]
        subject = data["id"] if message["type"] == "interview.completed" else data.get("interview_id", "")
        ok = False
        if self.secret is not None:
            try:
                Webhook(self.secret).verify(body, headers)
                ok = True
            except WebhookVerificationError:
                ok = False
        with self.lock:
            self.deliveries.append(Received(headers.get("webhook-id", ""), message["type"], subject, ok))

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.deliveries)

    def subjects(self) -> set[tuple[str, str]]:
        """(event type, interview id) pairs delivered at least once."""
        return {(d.type, d.interview_id) for d in self.snapshot()}


class _ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.server.latency_s:
            # A real endpoint takes a while to answer; it keeps deliveries in flight when the dispatcher dies.
            time.sleep(self.server.latency_s)
        self.server.record(body, {k.lower(): v for k, v in self.headers.items()})
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Tenant:
    stack: Stack
    name: str
    key: str
    org_id: str
    receiver: Receiver
    webhook_id: str

    def call(self, method: str, path: str, body: object = None) -> tuple[int, dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self.key}"}
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        req = urllib.request.Request(self.stack.gateway + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())

    # -- submitting

    def submit(self, bodies: list[dict[str, Any]], *, deadline_s: float = 300) -> list[str]:
        """POST every body at once (one connection each); 429 and 503 are retried after their Retry-After
        under the same Idempotency-Key, so a retry never creates a second interview. Return the ids in order."""
        return asyncio.run(_submit_all(self.stack.gateway, self.key, bodies, deadline_s))

    # -- reading the outcome from PostgreSQL

    def statuses(self) -> Counter[str]:
        with self.stack.db() as conn:
            rows = conn.execute(
                "SELECT status, count(*) FROM interviews WHERE org_id = %s GROUP BY status", (self.org_id,)
            ).fetchall()
        return Counter({status: n for status, n in rows})

    def interviews(self) -> dict[str, tuple[str, str | None]]:
        with self.stack.db() as conn:
            rows = conn.execute(
                "SELECT id, status, error_code FROM interviews WHERE org_id = %s", (self.org_id,)
            ).fetchall()
        return {i: (status, code) for i, status, code in rows}

    def completed_count(self) -> int:
        try:
            return self.statuses()["completed"]
        except psycopg.OperationalError:
            return -1  # the database is down (that is the fault under test); ask again later

    def wait_completed(self, n: int, timeout_s: float) -> float:
        """Wait until ``n`` interviews are completed (or any failed: that is already a failure)."""

        def done() -> bool:
            try:
                counts = self.statuses()
            except psycopg.OperationalError:
                return False
            assert counts["failed"] == 0, f"interviews failed: {self._failures()}"
            return counts["completed"] >= n

        return wait_for(
            done, timeout_s, f"{n} interviews completed", lambda: f"statuses: {dict(self._statuses_or_empty())}"
        )

    def _statuses_or_empty(self) -> Counter[str]:
        try:
            return self.statuses()
        except psycopg.OperationalError:
            return Counter()

    def _failures(self) -> list[tuple[str, str | None]]:
        return [(i, code) for i, (status, code) in self.interviews().items() if status == "failed"]

    def wait_webhooks(self, ids: list[str], timeout_s: float) -> float:
        wanted = {(t, i) for t in WEBHOOK_EVENTS for i in ids}

        def missing() -> str:
            gone = sorted(wanted - self.receiver.subjects())
            return f"missing {len(gone)}, e.g. {gone[:3]}"

        return wait_for(lambda: wanted <= self.receiver.subjects(), timeout_s, f"{len(wanted)} webhooks", missing)

    def wait_deliveries_settled(self, n_events: int, timeout_s: float) -> float:
        """Wait until the delivery log says every event was delivered: a delivery that reached the endpoint while
        its dispatcher died is still ``delivering`` until its lock expires and it is sent again."""

        def settled() -> bool:
            try:
                with self.stack.db() as conn:
                    row = conn.execute(
                        "SELECT count(*) FILTER (WHERE status = 'succeeded'), count(*) FROM webhook_deliveries "
                        "WHERE webhook_id = %s",
                        (self.webhook_id,),
                    ).fetchone()
            except psycopg.OperationalError:
                return False
            return row is not None and row[0] == row[1] == n_events

        return wait_for(settled, timeout_s, f"{n_events} deliveries succeeded in the delivery log")

    def assert_exactly_once(self, ids: list[str]) -> dict[str, int]:
        """Every interview completed once, announced once, delivered under one webhook-id per event."""
        interviews = self.interviews()
        assert set(interviews) == set(ids), "the organisation has interviews the test did not submit, or lost some"
        not_completed = {i: s for i, s in interviews.items() if s[0] != "completed"}
        assert not_completed == {}, f"not completed: {not_completed}"
        with self.stack.db() as conn:
            announced = conn.execute(
                "SELECT topic, payload->'data'->>'interview_id', count(*) FROM outbox "
                "WHERE payload->>'org_id' = %s AND topic = ANY(%s) GROUP BY 1, 2",
                (self.org_id, list(WEBHOOK_EVENTS)),
            ).fetchall()
            deliveries = conn.execute(
                "SELECT event_type, COALESCE(payload->'data'->>'interview_id', payload->'data'->>'id'), "
                "count(*), count(*) FILTER (WHERE status = 'succeeded') FROM webhook_deliveries "
                "WHERE webhook_id = %s GROUP BY 1, 2",
                (self.webhook_id,),
            ).fetchall()
            reports = conn.execute("SELECT count(*) FROM reports WHERE org_id = %s", (self.org_id,)).fetchone()
        for event_type in WEBHOOK_EVENTS:
            per_interview = {i: n for topic, i, n in announced if topic == event_type}
            assert set(per_interview) == set(ids), f"{event_type}: announced for {len(per_interview)}/{len(ids)}"
            twice = {i: n for i, n in per_interview.items() if n != 1}
            assert twice == {}, f"{event_type} announced more than once (outbox rows per interview): {twice}"
            rows = {i: (n, ok) for t, i, n, ok in deliveries if t == event_type}
            assert set(rows) == set(ids), f"{event_type}: delivery rows for {len(rows)}/{len(ids)} interviews"
            assert {i: r for i, r in rows.items() if r != (1, 1)} == {}, f"{event_type}: not one succeeded delivery"
        assert reports is not None and reports[0] == len(ids), f"reports: {reports}"

        received = self.receiver.snapshot()
        ids_per_event: dict[tuple[str, str], set[str]] = defaultdict(set)
        for d in received:
            ids_per_event[(d.type, d.interview_id)].add(d.webhook_id)
        split = {k: v for k, v in ids_per_event.items() if len(v) != 1}
        assert split == {}, f"one event arrived under several webhook-ids: {split}"
        assert set(ids_per_event) == {(t, i) for t in WEBHOOK_EVENTS for i in ids}
        bad = [d for d in received if not d.signature_ok]
        assert bad == [], f"{len(bad)} deliveries with a bad signature, e.g. {bad[:2]}"
        return {
            "interviews": len(ids),
            "completed": sum(1 for s in interviews.values() if s[0] == "completed"),
            "webhook_events": len(ids_per_event),
            "webhook_requests": len(received),
            "duplicate_requests": len(received) - len(ids_per_event),
        }


async def _submit_all(gateway: str, key: str, bodies: list[dict[str, Any]], deadline_s: float) -> list[str]:
    deadline = time.monotonic() + deadline_s
    headers = {"Authorization": f"Bearer {key}"}
    batch = uuid.uuid4().hex  # keys are per organisation: each batch of a test needs its own
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=timeout) as http:

        async def one(n: int, body: dict[str, Any]) -> str:
            idem = {**headers, "Idempotency-Key": f"chaos-{batch}-{n}"}
            while True:
                async with http.post(f"{gateway}/v1/interviews", json=body, headers=idem) as resp:
                    answer = await resp.json()
                    if resp.status == 200:
                        return str(answer["id"])
                    if resp.status not in (429, 503) or time.monotonic() > deadline:
                        raise AssertionError(f"submission {n}: {resp.status} {answer}")
                    # The server said when to come back; a client that retries sooner only adds load.
                    await asyncio.sleep(float(resp.headers.get("Retry-After", "1")))

        return list(await asyncio.gather(*(one(n, b) for n, b in enumerate(bodies))))


_tenants = 0


@pytest.fixture
def tenant(stack: Stack, request: pytest.FixtureRequest) -> Iterator[Tenant]:
    """A fresh organisation with a key and a subscribed webhook receiver; the stack is up when the test starts."""
    global _tenants
    _tenants += 1
    stack.up()  # a previous test's fault may have left something down
    name = f"chaos-{_tenants}-{request.node.name}"[:60]
    created = stack.cli("keys", "create", "--org", name, "--language", "en", timeout_s=60)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    with stack.db() as conn:
        row = conn.execute("SELECT id FROM organizations WHERE name = %s", (name,)).fetchone()
    assert row is not None
    receiver = Receiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        t = Tenant(stack, name, key, str(row[0]), receiver, "")
        status, hook = t.call("POST", "/v1/webhooks", {"url": receiver.url, "events": list(WEBHOOK_EVENTS)})
        assert status == 200, hook
        t.webhook_id = hook["id"]
        receiver.secret = hook["secret"]
        yield t
    finally:
        receiver.shutdown()
        receiver.server_close()


# --- what interviews look like -------------------------------------------------------------------------------

_ANSWERS = (
    "I led a team of five engineers through a migration of our billing system. I planned the rollout in three "
    "stages, measured the error rate at each step and we finished two weeks early.",
    "When a customer was angry about a missed deadline I listened first, asked what mattered most to them, and we "
    "agreed on a smaller release that week. They renewed the contract.",
    "Under pressure during an outage I kept calm, split the work between two colleagues, and wrote down every "
    "hypothesis so we did not repeat checks. We restored service in forty minutes.",
)


def transcript_body(n: int, candidate_prefix: str = "cand") -> dict[str, Any]:
    """An interview submitted with its transcript: no speech recognition, so a batch of them is fast on CPU."""
    return {
        "candidate_id": f"{candidate_prefix}-{n}",
        "vacancy_id": "chaos-engineer",
        "language": "en",
        "transcript": [
            {"speaker": "interviewer", "text": "Tell me about a project you are proud of."},
            {"speaker": "candidate", "text": _ANSWERS[n % 3]},
            {"speaker": "interviewer", "text": "How do you handle a difficult situation?"},
            {"speaker": "candidate", "text": _ANSWERS[(n + 1) % 3]},
        ],
    }


# --- the report ----------------------------------------------------------------------------------------------


def record(test: str, **numbers: Any) -> None:
    RESULTS.setdefault(test, {}).update(numbers)


def _summary_lines() -> list[str]:
    lines = ["# Chaos suite results", ""]
    for test, numbers in RESULTS.items():
        lines.append(f"## {test}")
        for k, v in numbers.items():
            lines.append(f"- {k}: {json.dumps(v) if isinstance(v, dict | list) else v}")
        lines.append("")
    return lines


SUMMARY = Path(os.environ.get("TM_CHAOS_SUMMARY") or ROOT / ".local" / "chaos-summary.md")


def _write_summary() -> None:
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    SUMMARY.write_text("\n".join(_summary_lines()))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not RESULTS:
        return
    terminalreporter.section("chaos results")
    for line in _summary_lines():
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"(written to {SUMMARY})")
