"""``talentmind``: the operator's command line.

talentmind keys create --org NAME    print a new API key for NAME (the organisation is created when new)
talentmind keys revoke KEY_OR_ID     revoke a key at once
talentmind migrate                   apply pending database migrations
talentmind topics                    create the Kafka topics (and dead-letter topics) when missing
talentmind up | down | run           the local stack (see README)
talentmind settings                  every setting, its environment variable and default (markdown)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from collections.abc import Sequence

import asyncpg

from talentmind import topics
from talentmind.db.migrate import migrate
from talentmind.db.organizations import create_key, get_or_create_org, revoke_key
from talentmind.devstack.procs import StackError
from talentmind.kafka.admin import ensure_topics
from talentmind.settings import Settings, get_settings
from talentmind.telemetry import setup_logging


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = get_settings()
    # Operator output goes to stdout; logs stay on stderr and in text form.
    setup_logging(settings.model_copy(update={"log_format": "text"}), "cli")
    try:
        return int(args.func(settings, args) or 0)
    except StackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (OSError, asyncpg.PostgresError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="talentmind", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)

    keys = sub.add_parser("keys", help="API keys").add_subparsers(dest="keys_command", required=True)
    create = keys.add_parser("create", help="print a new API key for an organisation")
    create.add_argument("--org", required=True, help="organisation name (created when new)")
    create.add_argument(
        "--language", choices=["ru", "en"], default="ru", help="language of a new organisation's reports"
    )
    create.set_defaults(func=_keys_create)
    revoke = keys.add_parser("revoke", help="revoke an API key (by key id or the key itself)")
    revoke.add_argument("key")
    revoke.set_defaults(func=_keys_revoke)

    sub.add_parser("migrate", help="apply pending migrations").set_defaults(func=_migrate)
    sub.add_parser("topics", help="create Kafka topics").set_defaults(func=_topics)
    sub.add_parser("up", help="start the local stack and wait until it is ready").set_defaults(func=_up)
    sub.add_parser("down", help="stop everything `up` started").set_defaults(func=_down)
    sub.add_parser("run", help="`up` in the foreground; Ctrl-C stops it").set_defaults(func=_run)
    sub.add_parser("settings", help="print the settings table").set_defaults(func=_settings)
    return parser


def _keys_create(settings: Settings, args: argparse.Namespace) -> int:
    print(asyncio.run(_new_key(settings.database_url, args.org, args.language)))
    return 0


async def _new_key(database_url: str, org_name: str, language: str = "ru") -> str:
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction():
            org = await get_or_create_org(conn, org_name, language)
            _, key = await create_key(conn, org.id)
        return key.secret
    finally:
        await conn.close()


def _keys_revoke(settings: Settings, args: argparse.Namespace) -> int:
    async def go() -> bool:
        conn = await asyncpg.connect(settings.database_url)
        try:
            return await revoke_key(conn, args.key)
        finally:
            await conn.close()

    if asyncio.run(go()):
        print("revoked")
        return 0
    print("no live key matches", file=sys.stderr)
    return 1


def _migrate(settings: Settings, _: argparse.Namespace) -> int:
    applied = migrate(settings.database_url)
    print(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))
    return 0


def _topics(settings: Settings, _: argparse.Namespace) -> int:
    created = asyncio.run(
        ensure_topics(
            settings.kafka_bootstrap,
            [settings.topic_prefix + t for t in topics.all_topics()],
            partitions=settings.topic_partitions,
            replication=settings.topic_replication,
        )
    )
    print(f"created {len(created)} topic(s)")
    return 0


def _up(settings: Settings, _: argparse.Namespace) -> int:
    from talentmind.devstack import stack

    infra = stack.up(settings)
    print(f"TalentMind is up: gateway {stack.service_url(settings, 'gateway')}")
    print(f"  PostgreSQL {infra.database_url}\n  Kafka      {infra.kafka_bootstrap}")
    return 0


def _down(settings: Settings, _: argparse.Namespace) -> int:
    from talentmind.devstack import stack

    stopped = stack.down(settings)
    print("stopped: " + (", ".join(stopped) if stopped else "nothing was running"))
    return 0


def _run(settings: Settings, _: argparse.Namespace) -> int:
    from talentmind.devstack import stack

    try:
        infra = stack.up(settings)
        key = asyncio.run(_new_key(infra.database_url, "demo", "en"))
        gateway = stack.service_url(settings, "gateway")
        _print_sample(gateway, key)
        print(
            f"TalentMind is running.\n  gateway:      {gateway}\n  API docs:     {gateway}/docs\n"
            f"  demo API key: {key}\n\n  curl -H 'Authorization: Bearer {key}' {gateway}/v1/interviews\n\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        stop_signals = {signal.SIGINT, signal.SIGTERM}
        signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
        signal.sigwait(stop_signals)
    finally:
        print("\nstopping ...", flush=True)
        stack.down(settings)
    return 0


def _print_sample(gateway: str, key: str) -> None:
    """Send the bundled sample interview through the pipeline and show what came back."""
    from talentmind.devstack.sample import SAMPLE, run_sample

    print(f"Sending the sample interview {SAMPLE.name} through the pipeline ...", flush=True)
    result = asyncio.run(run_sample(gateway, key))
    interview, report = result["interview"], result["report"]
    print(f"  interview {interview['id']}: {interview['status']}")
    for turn in result["transcript"].get("turns", []):
        print(f"    [{turn['start']:6.1f}s] {turn['speaker']:>11}: {turn['text']}")
    if interview["status"] == "completed":
        scores = ", ".join(f"{k} {v:.2f}" for k, v in interview["scores"].items())
        print(f"  scores: {scores}\n  performance {interview['performance']:.2f}, match {interview['match']:.2f}")
        print(f"  report: {report['recommendation']}; strengths {report['strengths']}; risks {report['risks']}")
    else:
        print(f"  error: {interview.get('error')}")
    print()


def settings_table() -> str:
    """The markdown table of every setting that README.md shows (a test keeps the two equal)."""
    lines = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for name, field in Settings.model_fields.items():
        default = field.get_default(call_default_factory=True)
        shown = json.dumps(default) if isinstance(default, list) else ("" if default is None else default)
        lines.append(f"| `TM_{name.upper()}` | `{shown}` | {field.description or ''} |")
    return "\n".join(lines)


def _settings(_: Settings, __: argparse.Namespace) -> int:
    print(settings_table())
    return 0


if __name__ == "__main__":
    logging.basicConfig()
    sys.exit(main())
