"""/v1/webhooks: an organisation's subscriptions to events."""

from __future__ import annotations

from aiohttp import web

from talentmind.api.models import CreateWebhookRequest, Deleted, Webhook, WebhookCreated, WebhookList
from talentmind.db.webhooks import create_webhook, delete_webhook, list_webhooks
from talentmind.ids import new_id
from talentmind.runtime import POOL, SETTINGS
from talentmind.signatures import new_secret
from talentmind_gateway.errors import NotFound, ValidationFailed
from talentmind_gateway.http import json_body, respond
from talentmind_gateway.typedefs import ORG
from talentmind_gateway.writes import write


async def create_view(request: web.Request) -> web.Response:
    body, fingerprint = await json_body(request, CreateWebhookRequest)
    url = str(body.url)
    if body.url.scheme != "https" and not request.app[SETTINGS].allow_private_targets:
        raise ValidationFailed(
            "url: webhooks are delivered over https only",
            code="insecure_url",
            details=[{"field": "url", "message": "https required"}],
        )
    async with write(request, fingerprint) as tx:
        if tx.replay is not None:
            return tx.replay
        secret = new_secret()
        row = await create_webhook(
            tx.conn, webhook_id=new_id("wh", 6), org_id=request[ORG].id, url=url, events=body.events, secret=secret
        )
        return await tx.respond(WebhookCreated(id=row["id"], url=row["url"], events=list(row["events"]), secret=secret))


async def list_view(request: web.Request) -> web.Response:
    rows = await list_webhooks(request.app[POOL], request[ORG].id)
    return respond(WebhookList(items=[Webhook(id=r["id"], url=r["url"], events=list(r["events"])) for r in rows]))


async def delete_view(request: web.Request) -> web.Response:
    if not await delete_webhook(request.app[POOL], request[ORG].id, request.match_info["id"]):
        raise NotFound("Webhook not found")
    return respond(Deleted())
