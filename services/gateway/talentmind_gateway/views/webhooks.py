"""/v1/webhooks: an organisation's subscriptions to events, their signing secrets and their delivery log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

import asyncpg
from aiohttp import web

from talentmind.api.models import (
    CreateWebhookRequest,
    Deleted,
    Delivery,
    DeliveryAttempt,
    DeliveryList,
    ListDeliveriesQuery,
    Redelivered,
    SecretRotated,
    Webhook,
    WebhookCreated,
    WebhookDetail,
    WebhookList,
    WebhookTestSent,
)
from talentmind.db.webhooks import (
    create_webhook,
    delete_webhook,
    delivery_state,
    get_webhook,
    insert_delivery,
    list_deliveries,
    list_webhooks,
    redeliver,
    rotate_secret,
)
from talentmind.ids import new_id
from talentmind.runtime import POOL, SETTINGS
from talentmind.signatures import new_secret
from talentmind_gateway.errors import Conflict, NotFound, ValidationFailed
from talentmind_gateway.http import fingerprint, json_body, read_json, respond
from talentmind_gateway.targets import refuse_forbidden_target
from talentmind_gateway.typedefs import ORG
from talentmind_gateway.validation import parse_query
from talentmind_gateway.writes import write

# How long a rotated-out secret keeps signing deliveries alongside the new one.
SECRET_OVERLAP = timedelta(hours=24)
TEST_EVENT = "webhook.test"
TEST_MESSAGE = "Test event from TalentMind"


async def create_view(request: web.Request) -> web.Response:
    body, fingerprint = await json_body(request, CreateWebhookRequest)
    url = str(body.url)
    if body.url.scheme != "https" and not request.app[SETTINGS].allow_private_targets:
        raise ValidationFailed(
            "url: webhooks are delivered over https only",
            code="insecure_url",
            details=[{"field": "url", "message": "https required"}],
        )
    await refuse_forbidden_target(url, request.app[SETTINGS], "url")
    async with write(request, fingerprint) as tx:
        if tx.replay is not None:
            return tx.replay
        secret = new_secret()
        row = await create_webhook(
            tx.conn, webhook_id=new_id("wh", 6), org_id=request[ORG].id, url=url, events=body.events, secret=secret
        )
        return await tx.respond(WebhookCreated(id=row["id"], url=row["url"], events=list(row["events"]), secret=secret))


def _public(row: asyncpg.Record) -> dict[str, Any]:
    """What the API shows of a subscription: never its secrets."""
    disabled = row["disabled_at"] is not None
    return {
        "id": row["id"],
        "url": row["url"],
        "events": list(row["events"]),
        "status": "disabled" if disabled else "active",
        "disabled_reason": row["disabled_reason"] if disabled else None,
        "created_at": row["created_at"],
    }


async def list_view(request: web.Request) -> web.Response:
    rows = await list_webhooks(request.app[POOL], request[ORG].id)
    return respond(WebhookList(items=[Webhook(**_public(r)) for r in rows]))


async def get_view(request: web.Request) -> web.Response:
    row = await get_webhook(request.app[POOL], request[ORG].id, request.match_info["id"])
    if row is None:
        raise NotFound("Webhook not found")
    return respond(WebhookDetail(**_public(row)))


async def delete_view(request: web.Request) -> web.Response:
    if not await delete_webhook(request.app[POOL], request[ORG].id, request.match_info["id"]):
        raise NotFound("Webhook not found")
    return respond(Deleted())


async def _empty_body(request: web.Request) -> bytes:
    """The POSTs below take no body: none at all, or an empty JSON object. Returns the request's fingerprint (for
    Idempotency-Key), the same for both."""
    if request.body_exists and await read_json(request) != {}:
        raise ValidationFailed(
            "body: this request takes no body (or an empty JSON object)",
            details=[{"field": "body", "message": "must be empty"}],
        )
    return fingerprint(request, {})


async def rotate_secret_view(request: web.Request) -> web.Response:
    request_fingerprint = await _empty_body(request)
    webhook_id = request.match_info["id"]
    async with write(request, request_fingerprint) as tx:
        if tx.replay is not None:
            return tx.replay
        secret = new_secret()
        if not await rotate_secret(tx.conn, request[ORG].id, webhook_id, secret, overlap=SECRET_OVERLAP):
            raise NotFound("Webhook not found")
        return await tx.respond(SecretRotated(id=webhook_id, secret=secret))


async def send_test_view(request: web.Request) -> web.Response:
    """Queue a ``webhook.test`` message for the subscription, whichever events it selected."""
    await _empty_body(request)
    pool, org_id, webhook_id = request.app[POOL], request[ORG].id, request.match_info["id"]
    delivery_id = new_id("msg", 12)
    payload = {"type": TEST_EVENT, "id": delivery_id, "data": {"webhook_id": webhook_id, "message": TEST_MESSAGE}}
    queued = await insert_delivery(
        pool,
        org_id=org_id,
        webhook_id=webhook_id,
        delivery_id=delivery_id,
        event_type=TEST_EVENT,
        event_id=uuid4(),
        payload=payload,
    )
    if not queued:
        if await get_webhook(pool, org_id, webhook_id) is None:
            raise NotFound("Webhook not found")
        raise Conflict("The webhook is disabled", code="webhook_disabled")
    return respond(WebhookTestSent(delivery_id=delivery_id))


async def deliveries_view(request: web.Request) -> web.Response:
    query = parse_query(ListDeliveriesQuery, request.query)
    pool, org_id, webhook_id = request.app[POOL], request[ORG].id, request.match_info["id"]
    if await get_webhook(pool, org_id, webhook_id) is None:
        raise NotFound("Webhook not found")
    total, rows, attempts = await list_deliveries(
        pool, org_id, webhook_id, status=query.status, limit=query.limit, offset=query.offset
    )
    items = [
        Delivery(
            id=r["id"],
            event_type=r["event_type"],
            status=r["status"],
            attempts=r["attempts"],
            created_at=r["created_at"],
            next_attempt_at=r["next_attempt_at"],
            last_status_code=r["last_status_code"],
            attempts_log=[
                DeliveryAttempt(
                    attempt=a["attempt"],
                    attempted_at=a["attempted_at"],
                    status_code=a["status_code"],
                    latency_ms=a["latency_ms"],
                    error=a["error"],
                )
                for a in attempts[r["id"]]
            ],
        )
        for r in rows
    ]
    return respond(DeliveryList(total=total, items=items))


async def redeliver_view(request: web.Request) -> web.Response:
    """Queue a delivery again under the same id; refused while an attempt of it is in flight."""
    await _empty_body(request)
    pool, org_id = request.app[POOL], request[ORG].id
    webhook_id, delivery_id = request.match_info["id"], request.match_info["delivery_id"]
    for _ in range(3):  # a dispatcher may finish its attempt between the update and the look that explains it
        if await redeliver(pool, org_id, webhook_id, delivery_id):
            return respond(Redelivered(id=delivery_id))
        state = await delivery_state(pool, org_id, webhook_id, delivery_id)
        if state is None:
            raise NotFound("Delivery not found")
        if state["webhook_disabled"]:
            raise Conflict("The webhook is disabled", code="webhook_disabled")
        if state["status"] == "delivering":
            break
    raise Conflict(
        "An attempt of this delivery is in flight; redeliver it once the attempt has ended",
        code="delivery_in_flight",
    )
