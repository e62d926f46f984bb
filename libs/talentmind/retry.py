"""Retry schedules shared by consumers, media fetching and webhook deliveries."""

from __future__ import annotations

import random
from collections.abc import Sequence


def backoff_delay(
    attempt: int, initial_s: float, max_s: float, *, jitter: float = 0.2, rng: random.Random | None = None
) -> float:
    """Delay before retry number ``attempt`` (1-based): ``initial * 2**(attempt-1)``, capped, with ±jitter."""
    if attempt < 1:
        raise ValueError("attempt is 1-based")
    base = min(max_s, initial_s * (2 ** (attempt - 1)))
    spread: float = (rng or random.Random()).uniform(-jitter, jitter)
    return float(max(0.0, base * (1.0 + spread)))


def scheduled_delay(
    schedule: Sequence[float], attempts_done: int, *, jitter: float = 0.2, rng: random.Random | None = None
) -> float | None:
    """Delay before the next attempt after ``attempts_done`` attempts, from a fixed schedule with ±jitter;
    None when the schedule is exhausted. The first entry is the delay before the first attempt."""
    if attempts_done >= len(schedule):
        return None
    base = float(schedule[attempts_done])
    return max(0.0, base * (1.0 + (rng or random.Random()).uniform(-jitter, jitter)))
