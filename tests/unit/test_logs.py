"""Repeated library log lines are held back, and the next one that passes says how many."""

from __future__ import annotations

import logging

from talentmind.telemetry.logs import RepeatFilter


def _record(name: str, msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, None)


def test_a_reconnect_storm_becomes_one_line_per_interval_with_a_count() -> None:
    now = [0.0]
    f = RepeatFilter("aiokafka", interval_s=10.0, clock=lambda: now[0])
    passed = []
    for i in range(1000):  # a reconnect every 10 ms for 10 s, to changing addresses
        now[0] = i * 0.01
        passed.append(f.filter(_record("aiokafka.conn", "Unable connect to %s", f"node-{i % 3}")))
    assert passed.count(True) == 1
    now[0] = 10.5
    again = _record("aiokafka.conn", "Unable connect to %s", "node-0")
    assert f.filter(again)
    assert again.getMessage().endswith("(and 999 more like it in the last 10 s)")


def test_other_messages_and_our_own_loggers_pass() -> None:
    f = RepeatFilter("aiokafka", clock=lambda: 0.0)
    assert f.filter(_record("aiokafka.conn", "Unable connect to %s", "a"))
    assert f.filter(_record("aiokafka.consumer", "Heartbeat failed"))
    assert all(f.filter(_record("talentmind.kafka.consumer", "handler failed, retrying")) for _ in range(5))
