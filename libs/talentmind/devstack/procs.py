"""Detached processes tracked by PID files, and waiting for ports."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path


class StackError(RuntimeError):
    """The local stack could not be brought up; the message says what to do."""


def start_detached(
    name: str,
    argv: Sequence[str],
    *,
    run_dir: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    user: str | None = None,
) -> int:
    """Start ``argv`` in its own session with output to ``run_dir/<name>.log``; record its PID."""
    run_dir.mkdir(parents=True, exist_ok=True)
    if is_running(name, run_dir):
        return read_pid(name, run_dir) or 0
    log_path = run_dir / f"{name}.log"
    if user:
        argv = ["runuser", "-u", user, "--", *argv]
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            list(argv),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
        )
    (run_dir / f"{name}.pid").write_text(str(proc.pid))
    return proc.pid


def read_pid(name: str, run_dir: Path) -> int | None:
    try:
        return int((run_dir / f"{name}.pid").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours still answers kill(0); reap it if it is ours.
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    # A zombie that is not ours (its parent exited and init has not reaped it yet) is dead for our purposes.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def is_running(name: str, run_dir: Path) -> bool:
    pid = read_pid(name, run_dir)
    return pid is not None and pid_alive(pid)


def stop(name: str, run_dir: Path, *, timeout_s: float = 20.0) -> bool:
    """SIGTERM the process group, SIGKILL what is left after ``timeout_s``; True when something was stopped."""
    pid = read_pid(name, run_dir)
    pid_file = run_dir / f"{name}.pid"
    if pid is None:
        return False
    stopped = False
    if pid_alive(pid):
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if pid_alive(pid):
            _signal_group(pid, signal.SIGKILL)
            while pid_alive(pid):
                time.sleep(0.05)
        stopped = True
    pid_file.unlink(missing_ok=True)
    return stopped


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def port_open(host: str, port: int, timeout_s: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False


def wait_until(
    predicate: Callable[[], bool],
    timeout_s: float,
    what: str,
    *,
    interval_s: float = 0.25,
    log_path: Path | None = None,
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval_s)
    tail = ""
    if log_path and log_path.exists():
        tail = (
            "\n--- last lines of "
            + str(log_path)
            + " ---\n"
            + "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
        )
    raise StackError(f"timed out after {timeout_s:.0f}s waiting for {what}{tail}")
