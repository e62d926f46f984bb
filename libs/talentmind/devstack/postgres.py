"""A private PostgreSQL cluster for development and tests, from the machine's PostgreSQL server binaries."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

from talentmind.devstack.procs import StackError, pid_alive, port_open, wait_until

SUPERUSER = "talentmind"


def server_bindir() -> Path:
    """Where ``initdb``/``pg_ctl``/``postgres`` live (Debian keeps them off PATH)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    for c in candidates:
        if Path(c, "initdb").exists():
            return Path(c)
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise StackError(
        "PostgreSQL server binaries not found: install them (apt-get install postgresql) "
        "or point TM_DATABASE_URL at a running server"
    )


def _run_as() -> str | None:
    """PostgreSQL refuses to run as root; under root the cluster belongs to the 'postgres' system user."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    return "postgres"


def _cmd(user: str | None, *argv: str) -> list[str]:
    return ["runuser", "-u", user, "--", *argv] if user else list(argv)


def dsn_for(port: int, database: str = "talentmind") -> str:
    return f"postgresql://{SUPERUSER}@127.0.0.1:{port}/{database}"


def ensure_cluster(data_root: Path, port: int, *, timeout_s: float = 60.0) -> str:
    """Start (initialising on first use) a cluster under ``data_root`` on ``port``; return the admin DSN."""
    if port_open("127.0.0.1", port):
        return dsn_for(port, "postgres")
    bindir = server_bindir()
    user = _run_as()
    data_root = data_root.resolve()
    data = data_root / "data"
    sockets = data_root / "sock"
    log_path = data_root / "postgres.log"
    data_root.mkdir(parents=True, exist_ok=True)
    sockets.mkdir(exist_ok=True)
    if user:
        for path in (data_root, sockets):
            shutil.chown(path, user)
        if log_path.exists():
            shutil.chown(log_path, user)
    if not (data / "PG_VERSION").exists():
        subprocess.run(
            _cmd(
                user,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    subprocess.run(
        _cmd(
            user,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log_path),
            "-o",
            options,
            "-w",
            "-t",
            str(int(timeout_s)),
            "start",
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wait_until(lambda: port_open("127.0.0.1", port), timeout_s, f"PostgreSQL on port {port}", log_path=log_path)
    return dsn_for(port, "postgres")


def stop_cluster(data_root: Path, *, timeout_s: float = 60.0) -> bool:
    """Stop the cluster (fast shutdown) and wait until its postmaster is gone; True when one was running."""
    data = data_root.resolve() / "data"
    pid_file = data / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        postmaster = int(pid_file.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        postmaster = None
    bindir = server_bindir()
    subprocess.run(
        _cmd(_run_as(), str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", str(int(timeout_s)), "stop"),
        check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    if postmaster is not None:
        # pg_ctl returns when the pid file is gone; the process itself may take a moment longer.
        deadline = time.monotonic() + timeout_s
        while pid_alive(postmaster) and time.monotonic() < deadline:
            time.sleep(0.1)
        if pid_alive(postmaster):
            with contextlib.suppress(ProcessLookupError):
                os.kill(postmaster, signal.SIGKILL)
    return True


def ensure_database(admin_dsn: str, name: str) -> str:
    """Create database ``name`` when missing; return its DSN."""
    import psycopg

    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(admin_dsn)
    return parts._replace(path=f"/{name}").geturl()


def drop_database(admin_dsn: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def reachable(dsn: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(dsn, connect_timeout=3):
            return True
    except psycopg.Error:
        return False
