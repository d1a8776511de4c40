"""A small in-process, per-key token-bucket limiter (per client IP, per user, …).

GoTrue limits per IP with token buckets whose burst equals the configured count: `requests` may
arrive at once, after which one more is allowed every `window / requests` seconds.  One process
holds the buckets, which is all a single-process local server needs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]


@dataclass(frozen=True)
class Limit:
    """`requests` per `window` seconds; a limit of 0 requests means "no limit"."""

    requests: int
    window: float

    @property
    def enabled(self) -> bool:
        return self.requests > 0


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets by key. `hit(key)` spends one token: None when allowed, else seconds to wait."""

    def __init__(self, limit: Limit, *, clock: Clock = time.monotonic, max_keys: int = 100_000) -> None:
        self.limit = limit
        self._clock = clock
        self._max_keys = max_keys
        self._rate = limit.requests / limit.window if limit.enabled else 0.0
        self._buckets: dict[str, _Bucket] = {}

    def hit(self, key: str) -> float | None:
        if not self.limit.enabled:
            return None
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._max_keys:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(float(self.limit.requests), now)
        else:
            bucket.tokens = min(self.limit.requests, bucket.tokens + (now - bucket.updated) * self._rate)
            bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return None
        return (1.0 - bucket.tokens) / self._rate

    def retry_after_header(self, wait: float) -> str:
        """Whole seconds, rounded up, as `Retry-After` wants them."""
        return str(max(1, math.ceil(wait)))

    def _prune(self, now: float) -> None:
        # Full buckets carry no information: dropping them is the same as never having seen the key.
        full = [k for k, b in self._buckets.items() if b.tokens + (now - b.updated) * self._rate >= self.limit.requests]
        for key in full:
            del self._buckets[key]
        while len(self._buckets) >= self._max_keys:  # still crowded: forget the oldest keys first
            del self._buckets[next(iter(self._buckets))]
