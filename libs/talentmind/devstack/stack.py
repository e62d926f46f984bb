"""``talentmind up | down | run``: the whole platform on one machine, no Docker.

``up`` reuses PostgreSQL and Kafka when ``TM_DATABASE_URL`` / ``TM_KAFKA_BOOTSTRAP`` answer, and otherwise starts
private ones under ``local_dir``; then it migrates, creates the topics, starts the four services and waits until
each one's ``/readyz`` answers 200. ``down`` stops, by PID, everything ``up`` started.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import secrets
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from talentmind import topics
from talentmind.db.migrate import migrate
from talentmind.devstack import kafka, postgres
from talentmind.devstack.procs import StackError, is_running, start_detached, stop, wait_until
from talentmind.kafka.admin import ensure_topics
from talentmind.settings import Settings

log = logging.getLogger(__name__)

SERVICES = ("gateway", "transcriber", "scorer", "dispatcher")


@dataclass(frozen=True)
class Infra:
    database_url: str
    kafka_bootstrap: str
    started_postgres: bool
    started_kafka: bool


def ensure_infra(settings: Settings, *, database: str = "talentmind") -> Infra:
    """PostgreSQL and Kafka reachable, started privately where the configured ones do not answer."""
    root = settings.local_dir.resolve()
    started_pg = started_kafka = False
    database_url = settings.database_url
    if not postgres.reachable(database_url):
        log.info("starting private PostgreSQL", extra={"port": settings.local_pg_port})
        admin = postgres.ensure_cluster(root / "postgres", settings.local_pg_port)
        database_url = postgres.ensure_database(admin, database)
        started_pg = True
    bootstrap = settings.kafka_bootstrap
    if not kafka.reachable(bootstrap):
        log.info("starting private Kafka", extra={"port": settings.local_kafka_port})
        bootstrap = kafka.ensure_broker(
            root / "kafka",
            settings.kafka_pom,
            port=settings.local_kafka_port,
            controller_port=settings.local_kafka_controller_port,
            heap=settings.kafka_heap,
        )
        started_kafka = True
    return Infra(database_url, bootstrap, started_pg, started_kafka)


def prepare(settings: Settings, infra: Infra) -> None:
    """Migrations and topics: idempotent, safe to run on every start."""
    applied = migrate(infra.database_url)
    log.info("migrations up to date", extra={"applied_now": applied})
    asyncio.run(
        ensure_topics(
            infra.kafka_bootstrap,
            [settings.topic_prefix + t for t in topics.all_topics()],
            partitions=settings.topic_partitions,
            replication=settings.topic_replication,
        )
    )


def service_env(settings: Settings, infra: Infra) -> dict[str, str]:
    env = os.environ.copy()
    env.update({"TM_DATABASE_URL": infra.database_url, "TM_KAFKA_BOOTSTRAP": infra.kafka_bootstrap})
    # The local stack talks to receivers and media on this machine, so loopback targets are allowed here only.
    env.setdefault("TM_ALLOW_PRIVATE_TARGETS", "true")
    if settings.report_link_secret is None:
        env["TM_REPORT_LINK_SECRET"] = local_report_link_secret(settings.local_dir)
    return env


def local_report_link_secret(local_dir: Path) -> str:
    """The local stack's report-link secret: made once and kept in the local dir (owner-only), so that links stay
    valid across restarts and every service signs and checks with the same one."""
    path = local_dir / "report-link-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def service_url(settings: Settings, name: str) -> str:
    host = getattr(settings, f"{name}_host")
    port = getattr(settings, f"{name}_port")
    return f"http://{host}:{port}"


def is_ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/readyz", timeout=2) as resp:
            return bool(resp.status == 200)
    except OSError:
        return False


def up(settings: Settings) -> Infra:
    infra = ensure_infra(settings)
    prepare(settings, infra)
    run_dir = settings.local_dir / "run"
    env = service_env(settings, infra)
    for name in SERVICES:
        start_detached(name, [sys.executable, "-m", f"talentmind_{name}.main"], run_dir=run_dir, env=env)
    for name in SERVICES:
        url = service_url(settings, name)
        wait_until(
            functools.partial(_started_and_ready, name, run_dir, url),
            settings.ready_timeout_s,
            f"{name} to be ready at {url}/readyz",
            log_path=run_dir / f"{name}.log",
        )
    return infra


def _started_and_ready(name: str, run_dir: Path, url: str) -> bool:
    return _alive_or_fail(name, run_dir) and is_ready(url)


def _alive_or_fail(name: str, run_dir: Path) -> bool:
    if not is_running(name, run_dir):
        log_path = run_dir / f"{name}.log"
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:]) if log_path.exists() else ""
        raise StackError(f"{name} exited during start-up; last log lines:\n{tail}")
    return True


def down(settings: Settings) -> list[str]:
    """Stop services, then the broker and the cluster this stack started; return what was stopped."""
    stopped = [name for name in reversed(SERVICES) if stop(name, settings.local_dir / "run")]
    if kafka.stop_broker(settings.local_dir / "kafka"):
        stopped.append("kafka")
    if postgres.stop_cluster(settings.local_dir / "postgres"):
        stopped.append("postgres")
    return stopped
