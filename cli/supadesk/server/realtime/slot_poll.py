"""Slot source by polling: `pg_logical_slot_get_binary_changes` on an asyncpg connection.

The fallback when a replication connection is refused (no REPLICATION attribute, no
`replication` line in pg_hba.conf, `max_wal_senders = 0`), or when asked for with
`SUPADESK_REALTIME_CAPTURE=poll`. It decodes right after `wake()`, `poll_busy_ms` after a read
that returned changes, and otherwise probes `pg_current_wal_lsn()` every `poll_idle_ms`.

Each call re-reads the WAL from the slot's restart point (which PostgreSQL moves only every
few seconds), so under a heavy write load the wait after a read grows with the read's duration:
the decoding work stays a bounded share of the database's time (latency rises instead).
A read that stops at the batch limit is followed at once by the next one, without waiting for
the WAL to move again: a backlog is always drained.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import asyncpg

from supadesk.server.realtime.config import RealtimeConfig

_GET_CHANGES = """
select lsn::text, data from pg_logical_slot_get_binary_changes(
  $1, null, $2, 'proto_version', '1', 'publication_names', 'supabase_realtime')
"""
_MAX_DUTY = 0.25  # at most this share of wall time in slot reads while the WAL keeps moving
_MAX_WAIT_S = 0.2


def lsn_int(text: str) -> int:
    high, low = text.split("/")
    return (int(high, 16) << 32) | int(low, 16)


class PollSource:
    name = "poll"

    def __init__(self, db_url: str, config: RealtimeConfig, slot: str) -> None:
        self.db_url = db_url
        self.config = config
        self.slot = slot
        self._conn: asyncpg.Connection | None = None
        self._wake = asyncio.Event()
        self._last_lsn = ""
        self._backlog = False
        self._interval = config.poll_idle_ms / 1000

    async def open(self) -> None:
        self._conn = await asyncpg.connect(
            self.db_url,
            timeout=self.config.db_timeout_s,
            server_settings={
                "application_name": "supadesk_realtime_capture",
                "TimeZone": "UTC",
                "statement_timeout": "0",
            },
        )
        # Waits for write transactions already running to end before the slot is consistent.
        await self._conn.execute("select pg_create_logical_replication_slot($1, 'pgoutput', true)", self.slot)

    def wake(self) -> None:
        self._wake.set()

    async def next_batch(self, limit: int) -> list[tuple[int, bytes]]:
        assert self._conn is not None
        conn = self._conn
        idle_s = self.config.poll_idle_ms / 1000
        while True:
            if self._backlog:
                await asyncio.sleep(0)  # let sockets run between two batches of a backlog
            elif not await self._wait(self._interval):
                lsn = await conn.fetchval("select pg_current_wal_lsn()::text")
                if lsn == self._last_lsn:
                    self._interval = idle_s
                    continue
                self._last_lsn = lsn  # a read that does not stop at `limit` reaches past it
            started = time.monotonic()
            rows = await conn.fetch(_GET_CHANGES, self.slot, limit)
            spent = time.monotonic() - started
            self._backlog = len(rows) >= limit
            if not rows:
                self._interval = idle_s
                continue
            busy_s = self.config.poll_busy_ms / 1000
            self._interval = min(_MAX_WAIT_S, max(busy_s, spent * (1 - _MAX_DUTY) / _MAX_DUTY))
            return [(lsn_int(r["lsn"]), r["data"]) for r in rows]

    def done(self) -> None:
        """Nothing to acknowledge: a slot read consumes what it returns."""

    async def close(self, limit_s: float) -> None:
        conn, self._conn = self._conn, None
        if conn is None or conn.is_closed():
            return
        try:
            await asyncio.wait_for(conn.execute("select pg_drop_replication_slot($1)", self.slot), limit_s)
            await asyncio.wait_for(conn.close(), limit_s)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
            conn.terminate()

    def abort(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.terminate()

    async def _wait(self, limit_s: float) -> bool:
        if self._wake.is_set():
            self._wake.clear()
            return True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), limit_s)
            self._wake.clear()
            return True
        return False
