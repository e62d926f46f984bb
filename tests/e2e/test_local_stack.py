"""`make up` / `make down` from the outside: a private PostgreSQL and Kafka, four ready services, keys, no leftovers.

This runs the real CLI in subprocesses with its own local dir and free ports, so it starts its own database
cluster and broker exactly as on a fresh clone, and checks that `down` leaves no process behind.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

SERVICES = ("gateway", "transcriber", "scorer", "dispatcher")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, key: str | None = None) -> tuple[int, dict]:  # type: ignore[type-arg]
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"} if key else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.fixture(scope="module")
def stack_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    local_dir: Path = tmp_path_factory.mktemp("stack")
    os.chmod(local_dir, 0o755)  # the private cluster runs as the postgres user when we are root
    for parent in local_dir.parents:
        if parent == Path("/"):
            break
        os.chmod(parent, os.stat(parent).st_mode | 0o005)
    pg_port = free_port()
    env = {
        **os.environ,
        "TM_LOCAL_DIR": str(local_dir),
        "TM_LOCAL_PG_PORT": str(pg_port),
        "TM_DATABASE_URL": f"postgresql://talentmind@127.0.0.1:{pg_port}/talentmind",
        "TM_LOCAL_KAFKA_PORT": str(free_port()),
        "TM_LOCAL_KAFKA_CONTROLLER_PORT": str(free_port()),
        "TM_KAFKA_POM": str(ROOT / "deploy" / "kafka" / "pom.xml"),
        "TM_LOG_FORMAT": "text",
    }
    env["TM_KAFKA_BOOTSTRAP"] = f"127.0.0.1:{env['TM_LOCAL_KAFKA_PORT']}"
    for name in SERVICES:
        env[f"TM_{name.upper()}_PORT"] = str(free_port())
    return env


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


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


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

        revoked = talentmind(stack_env, "keys", "revoke", key)
        assert revoked.returncode == 0, revoked.stderr
        assert get(f"{gateway}/v1/interviews", key)[0] == 401
    finally:
        down = talentmind(stack_env, "down")
    assert down.returncode == 0, down.stderr
    assert set(down.stdout.removeprefix("stopped: ").strip().split(", ")) == {*SERVICES, "kafka", "postgres"}
    assert [p for p in started if alive(p)] == []
