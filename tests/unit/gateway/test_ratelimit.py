import pytest

from talentmind_gateway.ratelimit import RateLimiter, retry_after_header


def test_burst_then_refill_at_the_rate() -> None:
    limiter = RateLimiter(per_minute=60, burst=3)
    assert [limiter.acquire("k", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.acquire("k", now=0.0)
    assert wait == pytest.approx(1.0)
    assert limiter.acquire("k", now=0.5) == pytest.approx(0.5)
    assert limiter.acquire("k", now=1.01) == 0.0  # one token came back after a second


def test_keys_are_independent_and_the_bucket_never_overfills() -> None:
    limiter = RateLimiter(per_minute=60, burst=2)
    limiter.acquire("a", now=0.0)
    limiter.acquire("a", now=0.0)
    assert limiter.acquire("a", now=0.0) > 0
    assert limiter.acquire("b", now=0.0) == 0.0
    allowed = sum(limiter.acquire("a", now=1000.0) == 0.0 for _ in range(5))
    assert allowed == 2


def test_retry_after_is_whole_seconds_at_least_one() -> None:
    assert retry_after_header(0.01) == "1"
    assert retry_after_header(2.2) == "3"


def test_bad_configuration_is_refused() -> None:
    with pytest.raises(ValueError):
        RateLimiter(per_minute=0, burst=1)
