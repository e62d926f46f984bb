"""From domain events to webhook deliveries: one durable delivery row per subscription that wants the event.

The rows commit in the same transaction as the claim of the event id, so a redelivered event creates nothing
new, and ``UNIQUE (webhook_id, event_id)`` guards the same. The body is built here, once, from the same builders
the API uses (``talentmind.api.payloads``): ``{type, id, created_at, data}`` where ``data`` has the fields the API
would return for that object, and ``id`` is the message id sent as ``webhook-id``.
"""

from __future__ import annotations

import logging
from datetime import UTC
from typing import Any

import asyncpg

from talentmind.api.models import WEBHOOK_EVENTS
from talentmind.api.payloads import candidate_report, candidate_score, interview_detail
from talentmind.db.idempotency import claim_event
from talentmind.db.interviews import get_interview
from talentmind.db.pool import Connection
from talentmind.events import (
    CandidateDeleted,
    CandidateScored,
    Event,
    InterviewCompleted,
    InterviewFailed,
    ReportReady,
)
from talentmind.ids import new_id
from talentmind.kafka.consumer import Handler
from talentmind.report_links import ReportLinks

log = logging.getLogger(__name__)
CONSUMER = "dispatcher"
NOTIFY_CHANNEL = "talentmind_deliveries"


class Fanout:
    def __init__(self, pool: asyncpg.Pool, links: ReportLinks) -> None:
        self.pool = pool
        self.links = links

    def handler(self) -> Handler:
        async def handle(event: Event[Any]) -> None:
            if event.type in WEBHOOK_EVENTS:
                await self.fan_out(event)

        return handle

    async def fan_out(self, event: Event[Any]) -> int:
        """Create the deliveries of ``event``; return how many."""
        async with self.pool.acquire() as conn, conn.transaction():
            if not await claim_event(conn, CONSUMER, event.id):
                return 0
            hooks = await conn.fetch(
                "SELECT id FROM webhooks WHERE org_id = $1 AND deleted_at IS NULL AND disabled_at IS NULL "
                "AND $2 = ANY(events) ORDER BY created_at, id",
                event.org_id,
                event.type,
            )
            if not hooks:
                return 0
            data = await self.data_of(conn, event)
            if data is None:
                log.warning("event object is gone, nothing to deliver", extra={"event_id": str(event.id)})
                return 0
            created_at = event.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            for hook in hooks:
                msg_id = new_id("msg", 12)
                payload = {"type": event.type, "id": msg_id, "created_at": created_at, "data": data}
                await conn.execute(
                    "INSERT INTO webhook_deliveries (id, webhook_id, org_id, event_type, event_id, payload) "
                    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (webhook_id, event_id) DO NOTHING",
                    msg_id, hook["id"], event.org_id, event.type, event.id, payload,
                )  # fmt: skip
            await conn.execute(f"NOTIFY {NOTIFY_CHANNEL}")
        log.info("deliveries created", extra={"event_type": event.type, "count": len(hooks)})
        return len(hooks)

    async def data_of(self, conn: Connection, event: Event[Any]) -> dict[str, Any] | None:
        if isinstance(event, CandidateDeleted):  # nothing is left to read: the event says it all
            return event.data.model_dump(mode="json")
        if isinstance(event, InterviewCompleted | InterviewFailed):
            interview = await get_interview(conn, event.org_id, event.data.interview_id)
            if interview is None:
                return None
            return _without_success(interview_detail(interview, self.links).model_dump(mode="json"))
        if isinstance(event, CandidateScored):
            score = await candidate_score(conn, event.org_id, event.data.candidate_id)
            return _without_success(score.model_dump(mode="json"))
        if isinstance(event, ReportReady):
            report = await candidate_report(conn, event.org_id, event.data.candidate_id)
            if report is None:
                return None
            body = _without_success(report.model_dump(mode="json"))
            body.update(
                candidate_id=event.data.candidate_id,
                interview_id=event.data.interview_id,
                report_url=self.links.interview(event.org_id, event.data.interview_id),
            )
            return body
        return None


def _without_success(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "success"}
