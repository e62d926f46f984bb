"""Organisations and their API keys in PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass

from talentmind.apikeys import NewKey, generate_key, hash_key
from talentmind.db.pool import Connection, Executor
from talentmind.ids import new_id


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    language: str


async def get_or_create_org(conn: Connection, name: str, language: str = "ru") -> Organization:
    row = await conn.fetchrow(
        "INSERT INTO organizations (id, name, language) VALUES ($1, $2, $3) "
        "ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id, name, language",
        new_id("org"),
        name,
        language,
    )
    assert row is not None
    return Organization(row["id"], row["name"], row["language"])


async def create_key(conn: Connection, org_id: str) -> tuple[str, NewKey]:
    """Store a new key for ``org_id``; return its id and the key (the only time the secret exists)."""
    key = generate_key()
    key_id = new_id("key")
    await conn.execute(
        "INSERT INTO api_keys (id, org_id, prefix, key_hash) VALUES ($1, $2, $3, $4)",
        key_id,
        org_id,
        key.prefix,
        key.digest,
    )
    return key_id, key


async def org_for_key(conn: Executor, secret: str) -> Organization | None:
    """The organisation of a live (not revoked) key, or None."""
    row = await conn.fetchrow(
        "SELECT o.id, o.name, o.language FROM api_keys k JOIN organizations o ON o.id = k.org_id "
        "WHERE k.key_hash = $1 AND k.revoked_at IS NULL",
        hash_key(secret),
    )
    return Organization(row["id"], row["name"], row["language"]) if row else None


async def revoke_key(conn: Connection, key_or_id: str) -> bool:
    """Revoke by key id (``key_…``) or by the secret itself; True when a live key was revoked."""
    result = await conn.execute(
        "UPDATE api_keys SET revoked_at = now() WHERE (id = $1 OR key_hash = $2) AND revoked_at IS NULL",
        key_or_id,
        hash_key(key_or_id),
    )
    return result.endswith(" 1")


async def org_language(conn: Executor, org_id: str) -> str | None:
    """The organisation's language (what its people read), None for an unknown organisation."""
    value = await conn.fetchval("SELECT language FROM organizations WHERE id = $1", org_id)
    return str(value) if value is not None else None
