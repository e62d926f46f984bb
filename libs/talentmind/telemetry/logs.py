"""Structured logs: one JSON object per line on stderr, with the service name and the current trace id."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable

from opentelemetry import trace
from pythonjsonlogger.json import JsonFormatter

from talentmind.settings import Settings


class _ContextFilter(logging.Filter):
    """Adds the service name and, inside a span, its trace and span ids, so logs and traces join up."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        ctx = trace.get_current_span().get_span_context()
        if ctx.is_valid:
            record.trace_id = format(ctx.trace_id, "032x")
            record.span_id = format(ctx.span_id, "016x")
        return True


class RepeatFilter(logging.Filter):
    """Of the loggers under ``prefix``, lets one record per (logger, message template) through every
    ``interval_s``; the next one that passes says how many were held back. While Kafka is down aiokafka logs each
    reconnect attempt of each connection (23,000 lines in 10 s from one gateway in the chaos suite), which would
    bury everything else."""

    def __init__(self, prefix: str, interval_s: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.prefix = prefix
        self.interval_s = interval_s
        self._clock = clock
        self._last: dict[tuple[str, object], float] = {}
        self._held: dict[tuple[str, object], int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(self.prefix):
            return True
        key = (record.name, record.msg)
        now = self._clock()
        last = self._last.get(key)
        if last is not None and now - last < self.interval_s:
            self._held[key] = self._held.get(key, 0) + 1
            return False
        self._last[key] = now
        held = self._held.pop(key, 0)
        if held:
            record.repeats_held_back = held
            record.msg = f"{record.msg} (and {held} more like it in the last {self.interval_s:.0f} s)"
        return True


def setup_logging(settings: Settings, service: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if settings.log_format == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(service)s %(name)s: %(message)s"))
    handler.addFilter(_ContextFilter(service))
    handler.addFilter(RepeatFilter("aiokafka"))  # on the handler: a logger's own filters skip its children's records
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    # aiokafka logs every rebalance at INFO; that is noise next to our own progress lines.
    logging.getLogger("aiokafka").setLevel(max(logging.WARNING, root.level))
