"""Change capture by logical decoding of publication `supabase_realtime` (no write-path cost).

A temporary pgoutput slot (dropped by PostgreSQL when its session ends, so a dead server never
retains WAL) is read by one of two sources: the replication stream (`slot_stream.py`, the
default: pushed changes, no polling) or, when the database refuses replication connections or
`SUPADESK_REALTIME_CAPTURE=poll`, the SQL functions (`slot_poll.py`).

Batches hold at most `poll_max_changes` pgoutput messages and are decoded in slices that yield
to the event loop, so sockets keep being served while a backlog is worked off; rows of tables
nobody subscribes to are skipped without being parsed.

When the source fails (connection or slot lost, anything unexpected), `on_lost` is called
(subscribers are told and rejoin) and a new slot is opened after a backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from typing import Protocol

import asyncpg

from supadesk.server.realtime.config import RealtimeConfig
from supadesk.server.realtime.pgoutput import DecodeError, Decoder, Relation, RowChange
from supadesk.server.realtime.pgwire import PgError
from supadesk.server.realtime.slot_poll import PollSource
from supadesk.server.realtime.slot_stream import StreamSource

log = logging.getLogger("supadesk.realtime.capture")

_BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 5.0)
_EXPECTED = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, DecodeError, PgError)
CAPTURE_LOST = "Realtime lost its connection to the database; rejoin and catch up"
_DECODE_SLICE = 500  # messages decoded between two yields to the event loop
# The replication connection is refused for good (not a passing outage): use the SQL functions.
_NO_REPLICATION = ("28000", "42501", "53300", "55000", "0A000")


class Source(Protocol):
    name: str

    async def open(self) -> None: ...

    def wake(self) -> None: ...

    async def next_batch(self, limit: int) -> list[tuple[int, bytes]]: ...

    def done(self) -> None: ...

    async def close(self, limit_s: float) -> None: ...

    def abort(self) -> None: ...


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
        self.mode = config.capture if config.capture in ("stream", "poll") else "stream"
        self.ready = asyncio.Event()
        self.decoded_changes = 0
        self._decoder = Decoder(wanted)
        self._source: Source | None = None
        self._task: asyncio.Task[None] | None = None

    def notify_commit(self) -> None:
        """A transaction that may touch published tables has just committed: read now."""
        if self._source is not None:
            self._source.wake()

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
        source, self._source = self._source, None
        if source is not None:
            await source.close(limit_s)

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                await self._open()
                failures = 0
                await self._loop()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # whatever broke, capture must come back
                # asyncpg may also raise InternalClientError when the server vanishes mid-query.
                expected = isinstance(exc, _EXPECTED)
                was_ready = self.ready.is_set()
                self.ready.clear()
                self._discard()
                if was_ready:
                    log.warning("change capture lost (%s); reconnecting", exc, exc_info=not expected)
                    self.on_lost(CAPTURE_LOST)
                else:
                    log.info("change capture not available yet: %s", exc, exc_info=not expected)
                await asyncio.sleep(_BACKOFF_S[min(failures, len(_BACKOFF_S) - 1)])
                failures += 1

    async def _open(self) -> None:
        self._decoder.reset()
        slot = f"supadesk_rt_{os.getpid()}_{secrets.token_hex(4)}"
        source: Source = (StreamSource if self.mode == "stream" else PollSource)(self.db_url, self.config, slot)
        self._source = source
        opening = asyncio.ensure_future(source.open())
        done, _ = await asyncio.wait({opening}, timeout=5)
        if not done:
            log.warning("creating the replication slot waits for long-running write transactions to end")
        try:
            await opening
        except PgError as exc:
            if self.mode != "stream" or exc.sqlstate not in _NO_REPLICATION:
                raise
            log.warning("no replication connection (%s); reading the slot with SQL functions instead", exc)
            self.mode = "poll"
            raise
        self.ready.set()
        log.info("change capture ready (temporary slot %s, %s)", slot, source.name)

    def _discard(self) -> None:
        source, self._source = self._source, None
        if source is not None:
            source.abort()

    async def _loop(self) -> None:
        source = self._source
        assert source is not None
        limit = max(1, self.config.poll_max_changes)
        while True:
            messages = await source.next_batch(limit)
            changes = await self._decode(messages)
            self.decoded_changes += len(changes)
            if changes:
                await self.on_changes(changes)
            source.done()

    async def _decode(self, messages: list[tuple[int, bytes]]) -> list[RowChange]:
        changes: list[RowChange] = []
        for start in range(0, len(messages), _DECODE_SLICE):
            if start:
                await asyncio.sleep(0)
            changes += self._decoder.feed(messages[start : start + _DECODE_SLICE])
        return changes
