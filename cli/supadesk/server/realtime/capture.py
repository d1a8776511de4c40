"""Change capture by logical decoding of publication `supabase_realtime` (no write-path cost).

A dedicated connection creates a *temporary* pgoutput slot (dropped by PostgreSQL when the session
ends, so a dead server never retains WAL) and drains it with `pg_logical_slot_get_binary_changes`.
It decodes right away when `notify_commit()` is called (a write committed through this server, or
a poke from another process), again `poll_busy_ms` after a batch that had changes, and otherwise
probes `pg_current_wal_lsn()` every `poll_idle_ms`, decoding only when the WAL moved.

A backlog (e.g. after a bulk load) is drained in bounded batches of `poll_max_changes` rows, one
after the other without waiting for the WAL to move again, decoded in slices that yield to the
event loop, so sockets keep being served while it catches up. Rows of tables nobody subscribes to
are skipped without being parsed.

Nothing else runs on that connection: PostgreSQL releases a temporary slot on any error. When the
connection or the slot is lost, `on_lost` is called (subscribers are told and rejoin) and a new
slot is created after a backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
from collections.abc import Awaitable, Callable

import asyncpg

from supadesk.server.realtime.config import RealtimeConfig
from supadesk.server.realtime.pgoutput import DecodeError, Decoder, Relation, RowChange

log = logging.getLogger("supadesk.realtime.capture")

_GET_CHANGES = """
select data from pg_logical_slot_get_binary_changes(
  $1, null, $2, 'proto_version', '1', 'publication_names', 'supabase_realtime')
"""
_BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 5.0)
_EXPECTED = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, DecodeError)
CAPTURE_LOST = "Realtime lost its connection to the database; rejoin and catch up"
_DECODE_SLICE = 500  # rows decoded between two yields to the event loop


class Capture:
    def __init__(
        self,
        db_url: str,
        config: RealtimeConfig,
        on_changes: Callable[[list[RowChange]], Awaitable[None]],
        on_lost: Callable[[str], None],
        wanted: Callable[[Relation], bool] | None = None,
    ) -> None:
        self.db_url = db_url
        self.config = config
        self.on_changes = on_changes
        self.on_lost = on_lost
        self.slot = f"supadesk_rt_{os.getpid()}_{secrets.token_hex(4)}"
        self.ready = asyncio.Event()
        self.decoded_changes = 0
        self._wake = asyncio.Event()
        self._decoder = Decoder(wanted)
        self._conn: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self._last_lsn = ""

    def notify_commit(self) -> None:
        """Decode now: a transaction that may touch published tables has just committed."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="realtime-capture")

    async def wait_ready(self, limit_s: float) -> bool:
        try:
            await asyncio.wait_for(self.ready.wait(), limit_s)
        except TimeoutError:
            return False
        return True

    async def stop(self, limit_s: float = 3.0) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            try:
                await asyncio.wait_for(conn.execute("select pg_drop_replication_slot($1)", self.slot), limit_s)
                await asyncio.wait_for(conn.close(), limit_s)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                conn.terminate()

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                await self._open()
                failures = 0
                await self._loop()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # asyncpg may also raise InternalClientError when the server vanishes mid-query.
                expected = isinstance(exc, _EXPECTED)
                was_ready = self.ready.is_set()
                self.ready.clear()
                await self._discard()
                if was_ready:
                    log.warning("change capture lost (%s); reconnecting", exc, exc_info=not expected)
                    self.on_lost(CAPTURE_LOST)
                else:
                    log.info("change capture not available yet: %s", exc, exc_info=not expected)
                await asyncio.sleep(_BACKOFF_S[min(failures, len(_BACKOFF_S) - 1)])
                failures += 1

    async def _open(self) -> None:
        self._decoder.reset()
        self._conn = await asyncpg.connect(
            self.db_url,
            timeout=self.config.db_timeout_s,
            server_settings={
                "application_name": "supadesk_realtime_capture",
                "TimeZone": "UTC",
                "DateStyle": "ISO, MDY",
                "statement_timeout": "0",
            },
        )
        self.slot = f"supadesk_rt_{os.getpid()}_{secrets.token_hex(4)}"
        # PostgreSQL waits for the write transactions already running (anywhere in the cluster) to
        # finish before the slot is consistent; say so when that takes long.
        create = asyncio.ensure_future(
            self._conn.execute("select pg_create_logical_replication_slot($1, 'pgoutput', true)", self.slot)
        )
        done, _ = await asyncio.wait({create}, timeout=5)
        if not done:
            log.warning("creating the replication slot waits for long-running write transactions to end")
        await create
        self._last_lsn = ""
        self.ready.set()
        log.info("change capture ready (temporary slot %s)", self.slot)

    async def _discard(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.terminate()

    async def _loop(self) -> None:
        assert self._conn is not None
        conn = self._conn
        limit = max(1, self.config.poll_max_changes)
        busy_s = self.config.poll_busy_ms / 1000
        idle_s = self.config.poll_idle_ms / 1000
        interval = idle_s
        backlog = False  # the last read stopped at `limit`: more is waiting in the slot
        while True:
            if backlog:
                await asyncio.sleep(0)  # let sockets run between two batches of a backlog
            elif not await self._wait(interval):
                lsn = await conn.fetchval("select pg_current_wal_lsn()::text")
                if lsn == self._last_lsn:
                    interval = idle_s
                    continue
                self._last_lsn = lsn  # a read that does not stop at `limit` reaches past it
            rows = await conn.fetch(_GET_CHANGES, self.slot, limit)
            backlog = len(rows) >= limit
            if not rows:
                interval = idle_s
                continue
            changes = await self._decode(rows)
            self.decoded_changes += len(changes)
            if changes:
                await self.on_changes(changes)
            interval = busy_s

    async def _decode(self, rows: list[asyncpg.Record]) -> list[RowChange]:
        changes: list[RowChange] = []
        for start in range(0, len(rows), _DECODE_SLICE):
            if start:
                await asyncio.sleep(0)
            changes += self._decoder.feed([(0, r["data"]) for r in rows[start : start + _DECODE_SLICE]])
        return changes

    async def _wait(self, limit_s: float) -> bool:
        if self._wake.is_set():
            self._wake.clear()
            return True
        try:
            await asyncio.wait_for(self._wake.wait(), limit_s)
        except TimeoutError:
            return False
        self._wake.clear()
        return True
