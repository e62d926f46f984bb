"""Whole local stacks (`talentmind up`) for tests that run the real CLI: a private folder and free ports each."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tests.conftest import ROOT, free_port

SERVICES = ("gateway", "transcriber", "scorer", "dispatcher")


def private_stack_dir(prefix: str) -> Path:
    """A new folder for a stack, readable by the postgres user that runs the private cluster when we are root.

    Not under pytest's tmp_path: every pytest session that starts on the machine resets /tmp/pytest-of-<user> to
    0700 and prunes old runs, which locks the postgres user out of its data folder (the postmaster then shuts
    itself down within a minute) or deletes the stack under a running test. ``TM_STACKS_DIR`` moves the base."""
    base = Path(os.environ.get("TM_STACKS_DIR") or tempfile.gettempdir())
    local_dir = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    os.chmod(local_dir, 0o755)
    for parent in local_dir.parents:
        if parent == Path("/"):
            break
        os.chmod(parent, os.stat(parent).st_mode | 0o005)
    return local_dir


def local_stack_env(local_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of `talentmind up` for a stack in ``local_dir`` on free ports, plus ``extra`` settings."""
    pg_port = free_port()
    env = {
        **os.environ,
        "TM_LOCAL_DIR": str(local_dir),
        "TM_LOCAL_PG_PORT": str(pg_port),
        "TM_DATABASE_URL": f"postgresql://talentmind@127.0.0.1:{pg_port}/talentmind",
        "TM_LOCAL_KAFKA_PORT": str(free_port()),
        "TM_LOCAL_KAFKA_CONTROLLER_PORT": str(free_port()),
        "TM_KAFKA_POM": str(ROOT / "deploy" / "kafka" / "pom.xml"),
        "TM_LOG_FORMAT": "text",
    }
    env["TM_KAFKA_BOOTSTRAP"] = f"127.0.0.1:{env['TM_LOCAL_KAFKA_PORT']}"
    for name in SERVICES:
        env[f"TM_{name.upper()}_PORT"] = str(free_port())
        env[f"TM_{name.upper()}_HOST"] = "127.0.0.1"
    env["TM_PUBLIC_BASE_URL"] = f"http://127.0.0.1:{env['TM_GATEWAY_PORT']}"
    return {**env, **extra}
