"""`make up` / `make down` from the outside: a private PostgreSQL and Kafka, four ready services, keys, no leftovers.

This runs the real CLI in subprocesses with its own local dir and free ports, so it starts its own database
cluster and broker exactly as on a fresh clone, and checks that `down` leaves no process behind.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from talentmind.devstack.procs import pid_alive
from tests.conftest import ROOT
from tests.local_stacks import SERVICES, local_stack_env, private_stack_dir


def get(url: str, key: str | None = None) -> tuple[int, dict]:  # type: ignore[type-arg]
    return call("GET", url, key)


def call(method: str, url: str, key: str | None = None, body: object = None) -> tuple[int, dict]:  # type: ignore[type-arg]
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.fixture(scope="module")
def stack_env() -> Iterator[dict[str, str]]:
    local_dir = private_stack_dir("tm-e2e-")
    yield local_stack_env(local_dir)
    shutil.rmtree(local_dir, ignore_errors=True)


def talentmind(env: dict[str, str], *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "talentmind.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def pids(local_dir: Path) -> list[int]:
    found = [int(f.read_text().strip()) for f in (local_dir / "run").glob("*.pid")]
    found += [int(f.read_text().strip()) for f in (local_dir / "kafka").glob("*.pid")]
    pm = local_dir / "postgres" / "data" / "postmaster.pid"
    if pm.exists():
        found.append(int(pm.read_text().splitlines()[0]))
    return found


def test_up_key_api_down(stack_env: dict[str, str]) -> None:
    local_dir = Path(stack_env["TM_LOCAL_DIR"])
    up = talentmind(stack_env, "up")
    try:
        assert up.returncode == 0, up.stderr[-3000:]
        started = pids(local_dir)
        assert len(started) >= 6  # four services, the broker, the postmaster
        for name in SERVICES:
            status, body = get(f"http://127.0.0.1:{stack_env[f'TM_{name.upper()}_PORT']}/readyz")
            assert status == 200, (name, body)
            assert body["checks"]["postgres"] == "ok" and body["checks"]["kafka"] == "ok"

        created = talentmind(stack_env, "keys", "create", "--org", "acme")
        assert created.returncode == 0, created.stderr
        lines = created.stdout.splitlines()
        assert len(lines) == 1 and lines[0].startswith("tm_")
        key = lines[0]

        gateway = f"http://127.0.0.1:{stack_env['TM_GATEWAY_PORT']}"
        assert get(f"{gateway}/v1/interviews", key) == (200, {"success": True, "total": 0, "items": []})
        status, body = get(f"{gateway}/v1/interviews")
        assert status == 401 and body["success"] is False and body["error"]["code"] == "unauthorized"
        status, body = get(f"{gateway}/v1/interviews", "tm_not_a_real_key")
        assert status == 401 and body["error"]["code"] == "unauthorized"

        contract_examples_through_the_pipeline(gateway, key)
        culture_flow(gateway, key)

        revoked = talentmind(stack_env, "keys", "revoke", key)
        assert revoked.returncode == 0, revoked.stderr
        assert get(f"{gateway}/v1/interviews", key)[0] == 401
    finally:
        down = talentmind(stack_env, "down")
    assert down.returncode == 0, down.stderr
    assert set(down.stdout.removeprefix("stopped: ").strip().split(", ")) == {*SERVICES, "kafka", "postgres"}
    deadline = time.monotonic() + 15  # a postmaster takes a moment to exit after its pid file is gone
    while [p for p in started if pid_alive(p)] and time.monotonic() < deadline:
        time.sleep(0.2)
    leftovers = [p for p in started if pid_alive(p)]
    assert leftovers == [], [Path(f"/proc/{p}/cmdline").read_bytes()[:200] for p in leftovers]


def wait_status(gateway: str, key: str, interview_id: str, status: str, timeout_s: float = 60) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout_s
    while True:
        body = get(f"{gateway}/v1/interviews/{interview_id}", key)[1]
        if body["status"] == status or time.monotonic() > deadline:
            return body
        time.sleep(0.3)


def contract_examples_through_the_pipeline(gateway: str, key: str) -> None:
    """The contract's example requests against the running stack, and the first hop of the event pipeline."""
    media = start_media_server()
    try:
        status, created = call(
            "POST",
            f"{gateway}/v1/interviews",
            key,
            {"candidate_id": "cand_4f21", "vacancy_id": "ui-engineer", "media_url": f"{media}/en_interview.mp4"},
        )
        assert status == 200 and set(created) == {"success", "id", "status", "created_at"}
        status, missing = call(
            "POST",
            f"{gateway}/v1/interviews",
            key,
            {"candidate_id": "cand_4f21", "vacancy_id": "ui-engineer", "media_url": f"{media}/gone.mp4"},
        )
        assert status == 200
        # The transcriber fetches the recording from the URL, transcribes it and names the speakers' roles.
        deadline = time.monotonic() + 120
        while (transcript := get(f"{gateway}/v1/interviews/{created['id']}/transcript", key))[0] != 200:
            assert time.monotonic() < deadline, transcript
            time.sleep(0.5)
        turns = transcript[1]["turns"]
        assert transcript[1]["language"] == "en" and turns[0]["speaker"] == "interviewer"
        assert "candidate" in {t["speaker"] for t in turns}
        # ... then the scorer scores it: media -> transcript -> scores, through Kafka.
        done = wait_status(gateway, key, created["id"], "completed")
        assert done["status"] == "completed" and len(done["scores"]) == 6 and 0 <= done["match"] <= 1
        report = get(f"{gateway}/v1/candidates/cand_4f21/report", key)[1]
        assert report["recommendation"] in ("recommended", "consider", "not_recommended")
        failed = wait_status(gateway, key, missing["id"], "failed")
        assert failed["error"]["code"] == "media_not_found"
    finally:
        media.shutdown()

    status, with_text = call(
        "POST",
        f"{gateway}/v1/interviews",
        key,
        {
            "candidate_id": "cand_4f21",
            "vacancy_id": "ui-engineer",
            "transcript": [
                {"speaker": "interviewer", "text": "Tell me about a project."},
                {"speaker": "candidate", "text": "I led a team of five and shipped on time."},
            ],
        },
    )
    assert status == 200
    status, transcript = get(f"{gateway}/v1/interviews/{with_text['id']}/transcript", key)
    assert status == 200 and [t["speaker"] for t in transcript["turns"]] == ["interviewer", "candidate"]

    status, listed = get(f"{gateway}/v1/interviews?status=failed&limit=20&offset=0", key)
    assert status == 200 and listed["total"] == 1 and listed["items"][0]["id"] == missing["id"]
    assert get(f"{gateway}/v1/candidates/cand_4f21/score", key)[0] == 200
    assert get(f"{gateway}/v1/candidates/cand_4f21/report", key)[0] == 200
    status, hook = call(
        "POST",
        f"{gateway}/v1/webhooks",
        key,
        {"url": "https://acme.io/hooks/talentmind", "events": ["interview.completed", "report.ready"]},
    )
    assert status == 200 and hook["id"].startswith("wh_")
    assert get(f"{gateway}/v1/webhooks", key)[1]["items"][0]["id"] == hook["id"]
    assert call("DELETE", f"{gateway}/v1/webhooks/{hook['id']}", key) == (200, {"success": True, "deleted": True})
    assert get(f"{gateway}/v1/openapi.json")[1]["openapi"] == "3.1.0"
    with urllib.request.urlopen(f"{gateway}/docs", timeout=5) as page:
        assert b"swagger-ui" in page.read()
    with urllib.request.urlopen(f"{gateway}/docs/static/swagger-ui-bundle.js", timeout=5) as js:
        assert js.status == 200 and len(js.read()) > 100_000


def culture_flow(gateway: str, key: str) -> None:
    """The culture flow as a client walks it: the catalogue, employees' surveys into the company profile, a
    candidate interviewed (transcript -> scorer -> signals), their fit inferred from the interview, then from their
    own Q-sort, and the error codes on the way."""
    fixture = json.loads((ROOT / "tests" / "fixtures" / "culture" / "candidates.json").read_text())["candidates"]
    status, catalogue = get(f"{gateway}/v1/culture/items", key)
    assert status == 200 and len(catalogue["items"]) == 54
    ids = [item["id"] for item in catalogue["items"]]
    assert get(f"{gateway}/v1/culture/profile", key)[1]["error"]["code"] == "culture_profile_not_found"
    status, body = call("POST", f"{gateway}/v1/culture/fit", key, {"candidate_id": "cand_values"})
    assert status == 404
    assert call("PUT", f"{gateway}/v1/candidates/cand_values", key, {"name": "Vera"})[0] == 200
    status, body = call("POST", f"{gateway}/v1/culture/fit", key, {"candidate_id": "cand_values"})
    assert status == 409 and body["error"]["code"] == "culture_profile_not_found"

    # three employees sort the 54 items: the company wants what the "innovator" fixture values
    company = fixture["innovator"]["qsort"]
    swaps = [(ids[0], ids[1]), (ids[2], ids[3]), (ids[4], ids[5])]
    for n, (a, b) in enumerate(swaps):
        answer = dict(company) | {a: company[b], b: company[a]}
        status, body = call(
            "POST", f"{gateway}/v1/culture/surveys", key, {"mode": "qsort", "items": answer, "respondent": f"e{n}"}
        )
        assert status == 200, body
    status, profile = get(f"{gateway}/v1/culture/profile", key)
    assert status == 200 and profile["parameters_count"] == 54 and len(profile["dimensions"]) == 7
    assert profile["source"] == "surveys" and profile["respondents"] == 3
    assert profile["agreement"]["shared_culture"] is True
    status, body = call("POST", f"{gateway}/v1/culture/fit", key, {"candidate_id": "cand_values"})
    assert status == 409 and body["error"]["code"] == "candidate_culture_unknown"

    # an interview of theirs, scored by the scorer: the fit is inferred from what they said
    turns = [{"speaker": s, "text": t} for s, t in fixture["innovator"]["turns"]["en"]]
    status, created = call(
        "POST",
        f"{gateway}/v1/interviews",
        key,
        {"candidate_id": "cand_values", "vacancy_id": "ui-engineer", "transcript": turns},
    )
    assert status == 200
    assert wait_status(gateway, key, created["id"], "completed", timeout_s=120)["status"] == "completed"
    status, fit = call("POST", f"{gateway}/v1/culture/fit", key, {"candidate_id": "cand_values"})
    assert status == 200 and fit["source"] == "interviews" and 0 < fit["confidence"] <= 0.5, fit
    assert fit["fit_score"] > 0.5 and fit["evidence"]["innovation"]
    assert get(f"{gateway}/v1/candidates/cand_values/report", key)[1]["compatibility"] == fit["fit_score"]

    # their own Q-sort is preferred
    status, _ = call(
        "PUT",
        f"{gateway}/v1/candidates/cand_values/culture-preferences",
        key,
        {"mode": "qsort", "items": fixture["steady"]["qsort"]},
    )
    assert status == 200
    status, fit = call("POST", f"{gateway}/v1/culture/fit", key, {"candidate_id": "cand_values"})
    assert status == 200 and fit["source"] == "qsort" and fit["confidence"] == 1.0 and fit["fit_score"] < 0.5
    assert set(fit) >= {"success", "fit_score", "matches", "attention"} and fit["attention"]


class _MediaServer(ThreadingHTTPServer):
    def __str__(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def start_media_server() -> _MediaServer:
    """The test interviews over plain HTTP on 127.0.0.1 (the local stack allows loopback media URLs)."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(ROOT / "tests" / "fixtures" / "media"))
    server = _MediaServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
