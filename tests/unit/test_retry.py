import random

import pytest

from talentmind.retry import backoff_delay


def test_doubles_then_caps() -> None:
    delays = [backoff_delay(n, 1.0, 10.0, jitter=0) for n in range(1, 7)]
    assert delays == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_jitter_stays_within_twenty_percent() -> None:
    rng = random.Random(7)
    samples = [backoff_delay(3, 1.0, 100.0, rng=rng) for _ in range(500)]
    assert min(samples) >= 3.2 and max(samples) <= 4.8
    assert max(samples) - min(samples) > 1.0  # it really varies


def test_attempts_are_one_based() -> None:
    with pytest.raises(ValueError):
        backoff_delay(0, 1.0, 2.0)
