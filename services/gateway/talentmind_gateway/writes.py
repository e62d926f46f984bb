"""Writes with ``Idempotency-Key``: one transaction holds the effect and the stored answer.

A POST that carries the header takes a lock on (organisation, key) for its transaction. If an answer is stored
for the key, the same request gets that answer again (and creates nothing); a different request under the same
key gets 409. Otherwise the view does its writes on the same connection and its answer is stored before commit,
so a crash leaves either both or neither. Only successful answers are stored: a rejected request may be fixed
and retried under the same key.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web
from pydantic import BaseModel

from talentmind.db import idempotency_keys
from talentmind.db.pool import Connection
from talentmind.runtime import POOL
from talentmind_gateway import jsonio
from talentmind_gateway.errors import Conflict, ValidationFailed
from talentmind_gateway.typedefs import ORG

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Visible ASCII, inner spaces allowed: what survives every HTTP stack unchanged.
KEY_PATTERN = r"^[!-~]([ -~]*[!-~])?$"


@dataclass
class Write:
    conn: Connection
    replay: web.Response | None
    _request: web.Request
    _key: str | None
    _fingerprint: bytes
    _stored: bool = field(default=False)

    async def respond(self, model: BaseModel, status: int = 200) -> web.Response:
        body = model.model_dump(mode="json")
        if self._key is not None:
            await idempotency_keys.store(
                self.conn,
                self._request[ORG].id,
                self._key,
                idempotency_keys.StoredResponse(
                    self._request.method, self._request.path, self._fingerprint, status, body
                ),
            )
        return web.json_response(body, status=status, dumps=jsonio.dumps)


def idempotency_key(request: web.Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if len(key) > MAX_KEY_LENGTH or not re.fullmatch(KEY_PATTERN, key):
        raise ValidationFailed(
            f"{HEADER}: 1 to {MAX_KEY_LENGTH} visible ASCII characters",
            details=[{"field": HEADER, "message": "invalid"}],
        )
    return key


@asynccontextmanager
async def write(request: web.Request, fingerprint: bytes) -> AsyncIterator[Write]:
    """A transaction for a POST's effects, replaying the stored answer when the key was seen before."""
    key = idempotency_key(request)
    async with request.app[POOL].acquire() as conn, conn.transaction():
        replay = None
        if key is not None:
            org_id = request[ORG].id
            await idempotency_keys.lock_key(conn, org_id, key)
            stored = await idempotency_keys.find(conn, org_id, key)
            if stored is not None:
                if (stored.method, stored.path, stored.request_hash) != (request.method, request.path, fingerprint):
                    raise Conflict(
                        f"{HEADER} '{key}' was already used for a different request",
                        code="idempotency_key_reused",
                    )
                replay = web.json_response(
                    stored.body, status=stored.status, headers={"Idempotent-Replayed": "true"}, dumps=jsonio.dumps
                )
        yield Write(conn, replay, request, key, fingerprint)
