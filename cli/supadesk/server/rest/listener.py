"""Reload the schema cache on `NOTIFY pgrst, 'reload schema'` (PostgREST's channel and payload).

The listening connection is kept alive: if PostgreSQL restarts or the connection drops, it
reconnects with backoff and then reloads once, since a NOTIFY sent while it was away is lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import asyncpg
from asyncpg.pool import PoolConnectionProxy

Connection = asyncpg.Connection | PoolConnectionProxy

log = logging.getLogger("supadesk.rest")
CHANNEL = "pgrst"
RETRY_FIRST_S, RETRY_MAX_S = 0.5, 10.0


class SchemaListener:
    """A dedicated connection LISTENing on `pgrst`; reloads are debounced into one task."""

    def __init__(self, db_url: str, reload: Callable[[], Awaitable[None]]) -> None:
        self.db_url = db_url
        self.reload = reload
        self.connected = asyncio.Event()  # set while LISTENing (tests wait on it)
        self._conn: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self._runner: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Listen from now on; returns once LISTENing, or after the first failed attempt."""
        first_attempt = asyncio.get_running_loop().create_future()
        self._runner = asyncio.get_running_loop().create_task(self._keep_listening(first_attempt))
        await first_attempt

    async def _keep_listening(self, first_attempt: asyncio.Future[None]) -> None:
        delay, reconnecting = RETRY_FIRST_S, False
        while True:
            try:
                conn, lost = await self._listen()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                if not first_attempt.done():
                    log.warning("schema reload listener unavailable (retrying in the background): %s", exc)
                    first_attempt.set_result(None)
                await asyncio.sleep(delay)
                delay, reconnecting = min(delay * 2, RETRY_MAX_S), True
                continue
            self._conn, delay = conn, RETRY_FIRST_S
            self.connected.set()
            if not first_attempt.done():
                first_attempt.set_result(None)
            if reconnecting:
                log.info("schema reload listener reconnected; reloading the schema cache")
                self._schedule_reload()
            await lost.wait()
            self.connected.clear()
            self._conn, reconnecting = None, True
            log.warning("schema reload listener lost its connection; reconnecting")

    async def _listen(self) -> tuple[asyncpg.Connection, asyncio.Event]:
        lost = asyncio.Event()
        conn = await asyncpg.connect(self.db_url, server_settings={"application_name": "supadesk-rest"})
        conn.add_termination_listener(lambda _conn: lost.set())
        await conn.add_listener(CHANNEL, self._notified)
        return conn, lost

    def _notified(self, _conn: Connection, _pid: int, _channel: str, payload: object) -> None:
        if payload in ("", "reload schema"):
            self._schedule_reload()

    def _schedule_reload(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._reload())

    async def _reload(self) -> None:
        try:
            await self.reload()
        except Exception:
            log.exception("schema cache reload failed; keeping the previous one")

    async def stop(self) -> None:
        for task in (self._runner, self._task):
            if task is not None:
                task.cancel()
        if self._conn is not None:
            await self._conn.close()
