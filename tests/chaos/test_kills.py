"""``kill -9`` of a pipeline service while a batch of interviews is in flight, then ``talentmind up`` starts it again.

What must hold afterwards: every interview ``completed`` once (one ``interview.completed`` and one ``report.ready`` in
the outbox per interview, one succeeded delivery row per event), and the customer's endpoint got each event under one
``webhook-id`` (the same id more than once is allowed: delivery is at least once).
"""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.chaos.conftest import Stack, Tenant, record, transcript_body, wait_for
from tests.conftest import ROOT

MEDIA = ROOT / "tests" / "fixtures" / "media"


def _kill_mid_batch(
    stack: Stack, tenant: Tenant, service: str, ids: list[str], in_flight: Any, test: str, deadline_s: float
) -> dict[str, Any]:
    """Wait until the batch is under way (``in_flight()``), kill -9 ``service``, start it again, wait for the end."""
    wait_for(in_flight, 180, f"the batch to be under way before killing the {service}")
    at_kill = tenant.completed_count()
    pid = stack.kill9(service)
    killed_at = time.monotonic()
    # The kill must land mid-batch, or the test shows nothing: some interviews (or webhooks) must still be due.
    due = len(ids) - at_kill
    delivered_at_kill = len(tenant.receiver.subjects())
    assert due > 0 or delivered_at_kill < 2 * len(ids), "the batch was over before the kill"
    restart_s = stack.up()
    assert stack.pid(service) != pid
    tenant.wait_completed(len(ids), deadline_s)
    completed_after_s = time.monotonic() - killed_at
    tenant.wait_webhooks(ids, deadline_s)
    delivered_after_s = time.monotonic() - killed_at
    tenant.wait_deliveries_settled(2 * len(ids), deadline_s)
    settled_after_s = time.monotonic() - killed_at
    numbers = tenant.assert_exactly_once(ids)
    result = {
        **numbers,
        "completed_at_kill": at_kill,
        "webhook_events_at_kill": delivered_at_kill,
        "restart_s": round(restart_s, 1),
        "all_completed_s_after_kill": round(completed_after_s, 1),
        "all_webhooks_s_after_kill": round(delivered_after_s, 1),
        "delivery_log_settled_s_after_kill": round(settled_after_s, 1),
    }
    record(test, **result)
    print(test, result)
    return result


@pytest.mark.timeout(600)
def test_scorer_killed_mid_batch(stack: Stack, tenant: Tenant) -> None:
    ids = tenant.submit([transcript_body(n) for n in range(60)])
    _kill_mid_batch(
        stack, tenant, "scorer", ids, lambda: tenant.completed_count() >= 3, "scorer kill -9 (60 transcripts)", 300
    )


@pytest.mark.timeout(600)
def test_dispatcher_killed_mid_delivery(stack: Stack, tenant: Tenant) -> None:
    # The endpoint answers in 0.3 s, so deliveries are in flight (sent, outcome not recorded) when the dispatcher
    # dies: they must be sent again under the same webhook-id once their lock expires.
    tenant.receiver.latency_s = 0.3
    ids = tenant.submit([transcript_body(n) for n in range(60)])
    result = _kill_mid_batch(
        stack,
        tenant,
        "dispatcher",
        ids,
        lambda: len(tenant.receiver.snapshot()) >= 5,
        "dispatcher kill -9 (60 transcripts, endpoint answering in 0.3 s)",
        300,
    )
    assert result["webhook_events_at_kill"] < 2 * len(ids)


class _MediaServer(ThreadingHTTPServer):
    """Serves the test recordings and counts the transcriber's downloads, which tell when a job is under way."""

    daemon_threads = True

    def __init__(self) -> None:
        self.fetches: list[str] = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), functools.partial(_CountingHandler, directory=str(MEDIA)))

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{name}"

    def fetched(self) -> int:
        with self.lock:
            return len(self.fetches)


class _CountingHandler(SimpleHTTPRequestHandler):
    server: _MediaServer

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.fetches.append(self.path)
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.timeout(900)
def test_transcriber_killed_mid_transcription(stack: Stack, tenant: Tenant) -> None:
    media = _MediaServer()
    threading.Thread(target=media.serve_forever, daemon=True).start()
    try:
        recordings = ["en_interview.m4a", "ru_interview.mp3", "en_interview.mp4"]
        bodies: list[dict[str, Any]] = [
            {"candidate_id": f"media-{n}", "vacancy_id": "chaos-engineer", "media_url": media.url(name)}
            for n, name in enumerate(recordings)
        ]
        bodies += [transcript_body(n) for n in range(20)]
        ids = tenant.submit(bodies)
        # The first download means a recording is being transcribed right now: kill the transcriber in that job.
        result = _kill_mid_batch(
            stack,
            tenant,
            "transcriber",
            ids,
            lambda: media.fetched() >= 1,
            "transcriber kill -9 (3 recordings + 20 transcripts)",
            420,
        )
        record("transcriber kill -9 (3 recordings + 20 transcripts)", media_downloads=media.fetched())
        assert result["completed"] == len(ids)
    finally:
        media.shutdown()
        media.server_close()
