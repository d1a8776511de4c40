"""The token-bucket limiter (`supadesk.server.ratelimit`) on a hand-driven clock."""

from __future__ import annotations

from supadesk.server.ratelimit import Limit, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refusal_with_the_wait_until_the_next_token() -> None:
    clock = Clock()
    limiter = RateLimiter(Limit(3, 300.0), clock=clock)

    assert [limiter.hit("1.2.3.4") for _ in range(3)] == [None, None, None]
    wait = limiter.hit("1.2.3.4")

    assert wait is not None and 99.0 < wait <= 100.0
    assert limiter.retry_after_header(wait) == "100"


def test_tokens_refill_with_time() -> None:
    clock = Clock()
    limiter = RateLimiter(Limit(2, 60.0), clock=clock)
    limiter.hit("a")
    limiter.hit("a")
    assert limiter.hit("a") is not None

    clock.now += 30.0

    assert limiter.hit("a") is None
    assert limiter.hit("a") is not None


def test_keys_are_independent() -> None:
    limiter = RateLimiter(Limit(1, 60.0), clock=Clock())

    assert limiter.hit("a") is None
    assert limiter.hit("a") is not None
    assert limiter.hit("b") is None


def test_zero_means_no_limit() -> None:
    limiter = RateLimiter(Limit(0, 60.0), clock=Clock())

    assert all(limiter.hit("a") is None for _ in range(1000))


def test_a_full_key_table_forgets_idle_keys_not_throttled_ones() -> None:
    clock = Clock()
    limiter = RateLimiter(Limit(2, 60.0), clock=clock, max_keys=2)
    limiter.hit("busy")
    limiter.hit("busy")  # empty now
    limiter.hit("idle")
    clock.now += 30.0  # "idle" is full again (nothing to remember), "busy" has one token back

    assert limiter.hit("newcomer") is None  # the table is full: "idle" makes room

    assert limiter.hit("busy") is None
    assert limiter.hit("busy") is not None  # still throttled: its bucket was kept
