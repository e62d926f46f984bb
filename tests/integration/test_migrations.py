import secrets

from talentmind.db.migrate import migrate
from talentmind.devstack import postgres


def test_migrations_apply_from_empty_database_and_are_idempotent(infra) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    name = f"tm_mig_{secrets.token_hex(4)}"
    dsn = postgres.ensure_database(infra.admin_dsn, name)
    try:
        first = migrate(dsn)
        assert first and first[0] == "0001_core"
        assert migrate(dsn) == []
        with psycopg.connect(dsn) as conn:
            tables = {
                r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
            }
        assert {"organizations", "api_keys", "interviews", "outbox", "processed_events"} <= tables
    finally:
        postgres.drop_database(infra.admin_dsn, name)
