"""The bundled sample interview that ``make run`` sends through the running stack.

It uploads a two-minute two-speaker recording (``tests/fixtures/media/sample_interview.m4a``) to the gateway as an ATS
would, waits until the pipeline has transcribed and scored it, and returns what the API answers.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import aiohttp

SAMPLE = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "media" / "sample_interview.m4a"


async def run_sample(gateway: str, key: str, *, timeout_s: float = 180.0) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        await http.put(
            f"{gateway}/v1/candidates/sample-candidate",
            json={"name": "Sample Candidate", "position": "Engineering lead", "language": "en"},
        )
        await http.put(
            f"{gateway}/v1/vacancies/sample-vacancy",
            json={
                "title": "Engineering lead",
                "language": "en",
                "competency_weights": {"leadership": 2, "planning": 1, "communication": 1},
            },
        )
        form = aiohttp.FormData()
        form.add_field("candidate_id", "sample-candidate")
        form.add_field("vacancy_id", "sample-vacancy")
        form.add_field("media", SAMPLE.read_bytes(), filename=SAMPLE.name, content_type="audio/mp4")
        async with http.post(f"{gateway}/v1/interviews", data=form) as resp:
            created = await resp.json()
        interview_id = created["id"]
        deadline = time.monotonic() + timeout_s
        while True:
            async with http.get(f"{gateway}/v1/interviews/{interview_id}") as resp:
                interview = await resp.json()
            if interview["status"] != "processing" or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        async with http.get(f"{gateway}/v1/interviews/{interview_id}/transcript") as resp:
            transcript = await resp.json()
        async with http.get(f"{gateway}/v1/candidates/sample-candidate/report") as resp:
            report = await resp.json()
    return {"interview": interview, "transcript": transcript, "report": report}
