"""Realtime settings: limits (Supabase's names and error codes), capture polling, the cluster bus.

Every value can be set through the environment (`SUPADESK_REALTIME_<NAME>` in upper case, e.g.
`SUPADESK_REALTIME_MAX_CONNECTIONS=2000`). Defaults follow Supabase's Pro plan, scaled to a small
machine where it matters (one process, two cores).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

_PREFIX = "SUPADESK_REALTIME_"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class RealtimeConfig:
    max_connections: int = 2000  # joined sockets per process (Pro: 500 per project; 1,000-way fan-out is benched)
    max_channels_per_connection: int = 100
    max_joins_per_second: int = 500  # per process
    max_events_per_second: int = 100  # client pushes (broadcast/presence) per connection
    max_payload_bytes: int = 3_000_000  # broadcast/presence payload (Pro: 3,000 KB)
    max_record_bytes: int = 1_048_576  # postgres_changes record; bigger values are dropped (64-byte rule)
    max_queue_messages: int = 20_000  # outbound messages waiting for one slow socket before it is cut
    idle_timeout_s: float = 60.0  # no message (not even a heartbeat) for this long closes the socket
    capture: str = "stream"  # "stream" (replication connection) or "poll" (SQL functions; the fallback)
    poll_busy_ms: float = 5.0  # poll source: read again this soon after a read that had changes
    poll_idle_ms: float = 20.0  # poll source: WAL probe interval when idle (read only when the WAL moved)
    poll_max_changes: int = 4_000  # pgoutput messages per batch (poll: upto_nchanges): bounds a backlog's batches
    rls_connections: int = 2  # connections checking one batch's RLS in parallel (many subscribers)
    db_timeout_s: float = 5.0  # authorization queries and capture calls
    redis_url: str = ""  # "" = local Redis if it answers; "off" disables the cluster bus

    @classmethod
    def from_env(cls) -> RealtimeConfig:
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(_PREFIX + f.name.upper())
            if raw is None:
                continue
            if f.type in ("int", int):
                values[f.name] = int(raw)
            elif f.type in ("float", float):
                values[f.name] = float(raw)
            else:
                values[f.name] = raw
        redis = os.environ.get("SUPADESK_REDIS_URL")
        if redis is not None:
            values["redis_url"] = redis
        return cls(**values)  # type: ignore[arg-type]

    @property
    def redis_target(self) -> tuple[str, bool] | None:
        """(url, explicit) of the cluster bus, or None when it is switched off."""
        if self.redis_url.lower() in ("off", "none", "false", "0"):
            return None
        if self.redis_url:
            return self.redis_url, True
        return DEFAULT_REDIS_URL, False
