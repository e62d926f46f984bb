"""Per-key rate limiting with token buckets (in this process's memory).

Each API key has a bucket of ``burst`` tokens refilled at ``per_minute / 60`` tokens a second; a request takes one.
An empty bucket answers 429 with ``Retry-After`` (whole seconds until a token is back). With several gateway
replicas each enforces its own share; size ``per_minute`` per replica.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, per_minute: float, burst: int, *, max_keys: int = 100_000) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("per_minute must be positive and burst at least 1")
        self.rate = per_minute / 60.0
        self.burst = burst
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._max_keys = max_keys

    def acquire(self, key: str, now: float | None = None) -> float:
        """Take a token for ``key``: 0.0 when allowed, else the seconds until one is available."""
        bucket = self._refilled(key, now)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def wait(self, key: str, now: float | None = None) -> float:
        """The seconds until ``key`` has a token (0.0 when it has one now), taking nothing."""
        bucket = self._refilled(key, now)
        return 0.0 if bucket.tokens >= 1.0 else (1.0 - bucket.tokens) / self.rate

    def _refilled(self, key: str, now: float | None) -> _Bucket:
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
            if len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
        return bucket


class ExpiringSet:
    """Keys remembered for ``ttl_s`` seconds, at most ``max_keys`` (the oldest forgotten first)."""

    def __init__(self, ttl_s: float, *, max_keys: int = 100_000) -> None:
        self.ttl_s = ttl_s
        self._until: OrderedDict[str, float] = OrderedDict()
        self._max_keys = max_keys

    def add(self, key: str, now: float | None = None) -> None:
        if self.ttl_s <= 0:
            return
        now = time.monotonic() if now is None else now
        self._until[key] = now + self.ttl_s
        self._until.move_to_end(key)
        while len(self._until) > self._max_keys:
            self._until.popitem(last=False)

    def contains(self, key: str, now: float | None = None) -> bool:
        until = self._until.get(key)
        if until is None:
            return False
        if until <= (time.monotonic() if now is None else now):
            del self._until[key]
            return False
        return True

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.contains(key)


def retry_after_header(wait_s: float) -> str:
    return str(max(1, math.ceil(wait_s)))
