"""Stored answers of POST requests sent with an ``Idempotency-Key`` header."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from talentmind.db.pool import Connection


@dataclass(frozen=True)
class StoredResponse:
    method: str
    path: str
    request_hash: bytes
    status: int
    body: Any


async def lock_key(conn: Connection, org_id: str, key: str) -> None:
    """Serialise requests with the same key until the caller's transaction ends (the second waits, then replays)."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"{org_id}/{key}")


async def find(conn: Connection, org_id: str, key: str) -> StoredResponse | None:
    row = await conn.fetchrow(
        "SELECT method, path, request_hash, response_status, response_body FROM idempotency_keys "
        "WHERE org_id = $1 AND key = $2",
        org_id,
        key,
    )
    if row is None:
        return None
    return StoredResponse(
        row["method"], row["path"], bytes(row["request_hash"]), row["response_status"], row["response_body"]
    )


async def store(conn: Connection, org_id: str, key: str, response: StoredResponse) -> None:
    await conn.execute(
        "INSERT INTO idempotency_keys (org_id, key, method, path, request_hash, response_status, response_body) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        org_id,
        key,
        response.method,
        response.path,
        response.request_hash,
        response.status,
        response.body,
    )
