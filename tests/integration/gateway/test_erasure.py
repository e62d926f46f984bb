"""``DELETE /v1/candidates/{id}``: everything about the candidate is gone, proven by searching every table's text
and the media folder afterwards, and nothing of anyone else's is touched.

Method: the candidate gets every kind of data there is (a profile with a name, culture preferences, an uploaded
recording, a transcript interview with a phrase nobody else says, scores, evidence, culture signals, a report, an
Idempotency-Key answer, outbox events, a webhook delivery). After the erasure every table of the schema is read
whole, each row as text (``row::text``), for the candidate's id, each interview id, the name and the phrase; the
only rows allowed to hold the id are the ``candidate.deleted`` notification's own (its outbox event and delivery).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import aiohttp

from talentmind.db.reports import store_report
from talentmind.events import ReportReady, ReportReadyData
from talentmind.report_links import ReportLinks
from talentmind_dispatcher.fanout import Fanout
from tests.conftest import ROOT
from tests.integration.conftest import Client, Stack

PHRASE = f"violet-heron-{secrets.token_hex(4)}"
NAME = f"Zoya Erasova {secrets.token_hex(2)}"


async def every_row_mentioning(stack: Stack, needle: str) -> list[tuple[str, str]]:
    """(table, row as text) for every row of every table in the schema whose text holds ``needle``."""
    tables = await stack.pool.fetch(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    )
    found = []
    for row in tables:
        name = row["table_name"]
        rows = await stack.pool.fetch(f'SELECT t::text AS text FROM "{name}" t WHERE t::text LIKE $1', f"%{needle}%")
        found += [(name, r["text"]) for r in rows]
    return found


async def give_everything(stack: Stack, client: Client, candidate: str) -> list[str]:
    """Every kind of data there is for ``candidate``; their interview ids."""
    assert (await client.call("PUT", f"/v1/candidates/{candidate}", json={"name": NAME, "metadata": {"note": PHRASE}}))[
        0
    ] == 200
    from talentmind import culture

    prefs = {i: int(v) for i, v in culture.forced_sort({i: float(k) for k, i in enumerate(culture.ITEM_IDS)}).items()}
    assert (
        await client.call(
            "PUT", f"/v1/candidates/{candidate}/culture-preferences", json={"mode": "qsort", "items": prefs}
        )
    )[0] == 200
    form = aiohttp.FormData()
    form.add_field("candidate_id", candidate)
    form.add_field("vacancy_id", "v1")
    form.add_field(
        "media",
        (ROOT / "tests/fixtures/media/en_interview.m4a").read_bytes(),
        filename="a.m4a",
        content_type="audio/mp4",
    )
    status, uploaded, _ = await client.call("POST", "/v1/interviews", data=form)
    assert status == 200, uploaded
    turns = [
        {"speaker": "interviewer", "text": "Tell me about a project."},
        {"speaker": "candidate", "text": f"I led the {PHRASE} migration and we shipped it on time."},
    ]
    status, typed, _ = await client.call(
        "POST",
        "/v1/interviews",
        json={"candidate_id": candidate, "vacancy_id": "v1", "transcript": turns},
        headers={"Idempotency-Key": secrets.token_hex(8)},
    )
    assert status == 200, typed
    await stack.pool.execute(
        "UPDATE interviews SET status = 'completed', match = 0.6, performance = 0.5, scores = $2, evidence = $3, "
        "culture_signals = $4, completed_at = now() WHERE id = $1",
        typed["id"],
        {"leadership": 0.7},
        {"leadership": {"confidence": 0.5, "quotes": [{"text": f"I led the {PHRASE} migration", "answer": 0}]}},
        {
            "version": 1,
            "sentences": 1,
            "items": {},
            "quotes": {"innovation": [{"text": PHRASE, "item": "risk_taking", "strength": 0.2, "answer": 0}]},
        },
    )
    async with stack.pool.acquire() as conn:
        await store_report(
            conn, interview_id=typed["id"], org_id=client.org_id, candidate_id=candidate, language="en",
            recommendation="consider", strengths=[PHRASE], risks=[], red_flags=[], confidence={},
        )  # fmt: skip
    await stack.pool.execute(
        "INSERT INTO webhooks (id, org_id, url, events, secret) VALUES ($1, $2, 'https://ats.example/hook', "
        "ARRAY['report.ready', 'candidate.deleted'], 'whsec_x')",
        f"wh_{secrets.token_hex(4)}",
        client.org_id,
    )
    event = ReportReady(
        org_id=client.org_id,
        data=ReportReadyData(candidate_id=candidate, interview_id=typed["id"], report_url="https://x.example/r"),
    )
    fanout = Fanout(stack.pool, ReportLinks("https://talentmind.example", b"k", ttl_s=60))
    assert await fanout.fan_out(event) == 1
    return [uploaded["id"], typed["id"]]


async def test_erasure_leaves_no_trace_in_any_table_or_file(stack: Stack, client: Client, other: Client) -> None:
    candidate = f"cand_{secrets.token_hex(5)}"
    interviews = await give_everything(stack, client, candidate)
    media_dir = Path(stack.settings.media_dir)
    stored = await stack.pool.fetchval("SELECT media_path FROM interviews WHERE id = $1", interviews[0])
    assert stored and Path(stored).exists()
    # before: the search finds the data everywhere it was put (so the search itself works)
    needles = (candidate, PHRASE, NAME, *interviews)
    before = {table for needle in needles for table, _ in await every_row_mentioning(stack, needle)}
    assert {
        "candidates",
        "interviews",
        "transcripts",
        "reports",
        "outbox",
        "idempotency_keys",
        "webhook_deliveries",
    } <= before
    # someone else's: a candidate with the same id in another organisation, another candidate in this one
    assert (await other.call("PUT", f"/v1/candidates/{candidate}", json={"name": "Other org"}))[0] == 200
    assert (await client.call("PUT", "/v1/candidates/keep_me", json={"name": "Kept"}))[0] == 200

    status, body, _ = await client.call("DELETE", f"/v1/candidates/{candidate}")
    assert status == 200, body
    assert body == {"success": True, "deleted": True, "interviews_erased": 2, "media_files_erased": 1}
    assert (await client.call("DELETE", f"/v1/candidates/{candidate}"))[0] == 404  # a second call
    assert (await client.call("GET", f"/v1/candidates/{candidate}"))[0] == 404
    for interview_id in interviews:
        assert (await client.call("GET", f"/v1/interviews/{interview_id}"))[0] == 404
        assert await every_row_mentioning(stack, interview_id) == []
    assert await every_row_mentioning(stack, PHRASE) == []
    assert await every_row_mentioning(stack, NAME) == []
    # the candidate's id is left only where another organisation holds the same id, and in the
    # candidate.deleted notification itself (its event and its delivery), which holds nothing else of theirs
    left = await every_row_mentioning(stack, candidate)
    for table, text in left:
        assert (other.org_id in text and client.org_id not in text) or "candidate.deleted" in text, (table, text)
    notified = [t for t, text in left if "candidate.deleted" in text]
    assert "outbox" in notified
    # the media folder: the recording is gone, no file is named after them or holds their words
    assert not Path(stored).exists()
    for path in media_dir.rglob("*"):
        assert candidate not in path.name and not any(i in path.name for i in interviews)
        if path.is_file():
            assert PHRASE.encode() not in path.read_bytes()
    # nothing of anyone else's went
    assert (await other.call("GET", f"/v1/candidates/{candidate}"))[1]["name"] == "Other org"
    assert (await client.call("GET", "/v1/candidates/keep_me"))[0] == 200
    # an unknown candidate, and another organisation's, answer 404 and erase nothing
    assert (await client.call("DELETE", "/v1/candidates/ghost"))[0] == 404
    assert (await client.call("DELETE", "/v1/candidates/keep_me"))[0] == 200
    assert (await other.call("GET", f"/v1/candidates/{candidate}"))[0] == 200


async def test_the_erasure_is_announced_by_a_candidate_deleted_webhook(stack: Stack, client: Client) -> None:
    from talentmind.events import CandidateDeleted, parse_event

    candidate = f"cand_{secrets.token_hex(5)}"
    await give_everything(stack, client, candidate)
    assert (await client.call("DELETE", f"/v1/candidates/{candidate}"))[0] == 200
    payload = await stack.pool.fetchval(
        "SELECT payload FROM outbox WHERE topic = 'candidate.deleted' AND payload->>'org_id' = $1", client.org_id
    )
    event = parse_event(json.dumps(payload))
    assert isinstance(event, CandidateDeleted) and event.key() == candidate
    fanout = Fanout(stack.pool, ReportLinks("https://talentmind.example", b"k", ttl_s=60))
    assert await fanout.fan_out(event) == 1
    delivery = await stack.pool.fetchval("SELECT payload FROM webhook_deliveries WHERE event_id = $1", event.id)
    assert delivery["type"] == "candidate.deleted"
    assert delivery["data"] == {"candidate_id": candidate, "interviews_erased": 2, "media_files_erased": 1}
