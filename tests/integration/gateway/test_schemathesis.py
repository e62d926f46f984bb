"""Property-based API testing with schemathesis against /v1/openapi.json on the live gateway.

Every operation gets generated valid and invalid requests with a valid key; the run fails on any 5xx and on any
answer that does not match its documented schema, status code, content type or headers. ``schemathesis.toml``
beside this file lists the few places where the API's documented behaviour differs from schemathesis' defaults.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from tests.integration.conftest import NewClient

MAX_EXAMPLES = int(os.environ.get("TM_SCHEMATHESIS_EXAMPLES", "40"))
CONFIG = Path(__file__).with_name("schemathesis.toml")


async def test_no_server_errors_and_every_answer_conforms(new_client: NewClient, tmp_path: Path) -> None:
    client = await new_client()
    report = tmp_path / "schemathesis.ndjson"
    argv = [
        "--config-file", str(CONFIG), "run", f"{client.base}/v1/openapi.json",
        "--url", client.base,
        "-H", f"Authorization: Bearer {client.key}",
        "--max-examples", str(MAX_EXAMPLES),
        "--workers", "2",
        "--generation-deterministic",
        "--report", "ndjson", "--report-ndjson-path", str(report),
    ]  # fmt: skip
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "schemathesis.cli", *argv,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"},
    )  # fmt: skip
    out, _ = await asyncio.wait_for(proc.communicate(), 900)
    text = out.decode(errors="replace")
    print(text[-4000:])
    assert proc.returncode == 0, text[-8000:]
    summary = [line for line in text.splitlines() if " generated" in line]
    assert summary, text[-2000:]
    generated = int(summary[-1].split()[0])
    assert generated >= 18 * 10, summary  # every operation was really exercised
    assert "5xx" not in text.split("SUMMARY")[-1] or "Server error" not in text
    assert report.exists() and all(json.loads(line) for line in report.read_text().splitlines()[:5])
