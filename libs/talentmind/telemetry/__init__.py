"""Logs, metrics and traces, set up the same way by every service."""

from talentmind.telemetry.logs import setup_logging
from talentmind.telemetry.tracing import setup_tracing

__all__ = ["setup_logging", "setup_tracing"]
