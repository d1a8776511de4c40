"""Reload the schema cache on `NOTIFY pgrst, 'reload schema'` (PostgREST's channel and payload)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import asyncpg
from asyncpg.pool import PoolConnectionProxy

Connection = asyncpg.Connection | PoolConnectionProxy

log = logging.getLogger("supadesk.rest")
CHANNEL = "pgrst"


class SchemaListener:
    """A dedicated connection LISTENing on `pgrst`; reloads are debounced into one task."""

    def __init__(self, db_url: str, reload: Callable[[], Awaitable[None]]) -> None:
        self.db_url = db_url
        self.reload = reload
        self._conn: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        try:
            self._conn = await asyncpg.connect(self.db_url, server_settings={"application_name": "supadesk-rest"})
            await self._conn.add_listener(CHANNEL, self._notified)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("schema reload listener unavailable: %s", exc)

    def _notified(self, _conn: Connection, _pid: int, _channel: str, payload: object) -> None:
        if payload in ("", "reload schema") and (self._task is None or self._task.done()):
            self._task = asyncio.get_running_loop().create_task(self._reload())

    async def _reload(self) -> None:
        try:
            await self.reload()
        except Exception:
            log.exception("schema cache reload failed; keeping the previous one")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self._conn is not None:
            await self._conn.close()
