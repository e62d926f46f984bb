"""Versioned SQL migrations, applied by yoyo-migrations (``talentmind migrate``).

The SQL files live next to this module (``migrations/NNNN_name.sql``) and ship in the package. yoyo records what
ran in its own table and takes a lock, so two processes migrating at once do not collide.
"""

from __future__ import annotations

import logging
from pathlib import Path

from yoyo import get_backend, read_migrations

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def yoyo_url(database_url: str) -> str:
    """yoyo speaks psycopg 3 under the ``postgresql+psycopg`` scheme; our DSN is the plain libpq one."""
    scheme, sep, rest = database_url.partition("://")
    if not sep:
        raise ValueError(f"not a database URL: {database_url!r}")
    if scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return database_url


def migrate(database_url: str) -> list[str]:
    """Apply every pending migration; return the ids applied now (empty when already up to date)."""
    backend = get_backend(yoyo_url(database_url))
    migrations = read_migrations(str(MIGRATIONS_DIR))
    try:
        with backend.lock():
            pending = backend.to_apply(migrations)
            backend.apply_migrations(pending)
        applied = [m.id for m in pending]
    finally:
        backend.connection.close()
    for mid in applied:
        log.info("migration applied", extra={"migration": mid})
    return applied
