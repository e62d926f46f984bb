import pytest

from talentmind_gateway.ratelimit import ExpiringSet, RateLimiter, retry_after_header


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


def test_wait_tells_without_taking() -> None:
    limiter = RateLimiter(per_minute=60, burst=1)
    assert limiter.wait("ip", now=0.0) == 0.0
    assert limiter.wait("ip", now=0.0) == 0.0  # still there: nothing was taken
    assert limiter.acquire("ip", now=0.0) == 0.0
    assert limiter.wait("ip", now=0.0) == pytest.approx(1.0)
    assert limiter.wait("ip", now=1.0) == 0.0


def test_expiring_set_forgets_after_its_ttl_and_beyond_its_size() -> None:
    seen = ExpiringSet(ttl_s=30, max_keys=2)
    seen.add("a", now=0.0)
    assert seen.contains("a", now=29.9) and not seen.contains("a", now=30.0)
    seen.add("a", now=100.0)
    seen.add("b", now=100.0)
    seen.add("c", now=100.0)  # "a" is the oldest and goes
    assert not seen.contains("a", now=100.0) and seen.contains("b", now=100.0) and seen.contains("c", now=100.0)
    off = ExpiringSet(ttl_s=0)
    off.add("x")
    assert "x" not in off
