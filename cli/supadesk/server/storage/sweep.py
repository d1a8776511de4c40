"""The hourly sweep of uploads that never became an attachment, inside `supadesk start`.

What counts as abandoned is decided in SQL (`public.unattached_uploads`, migration
`…_unattached_uploads.sql`: older than 12+ hours and linked by no attachment row; uploads that old
can no longer be linked, so the sweep never races a message). The objects are removed as Storage's
own delete does, as the service role: row, then file. Against a hosted project the same listing
runs through the API (`supadesk storage sweep --api-url …`).

Settings: SUPADESK_STORAGE_SWEEP_EVERY (seconds between sweeps, default 3600; 0 turns it off),
SUPADESK_STORAGE_SWEEP_OLDER_THAN (hours, default 24, at least 12).
"""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import timedelta

import asyncpg

from supadesk.server.context import RequestContext
from supadesk.server.db import scoped_transaction
from supadesk.server.storage import objects_sql
from supadesk.server.storage.errors import StorageError
from supadesk.server.storage.service import StorageService

log = logging.getLogger("supadesk.storage.sweep")

BUCKET = "support-attachments"
BATCH = 1000
SERVICE = RequestContext(role="service_role", claims={"role": "service_role"}, method="DELETE", path="/sweep")


def _number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def every_s() -> float:
    return max(0.0, _number("SUPADESK_STORAGE_SWEEP_EVERY", 3600))


def older_than() -> timedelta:
    return timedelta(hours=max(12.0, _number("SUPADESK_STORAGE_SWEEP_OLDER_THAN", 24)))


async def sweep_once(service: StorageService, age: timedelta) -> int:
    """Remove every abandoned upload older than `age`; returns how many were removed."""
    removed = 0
    while True:
        async with scoped_transaction(service.pool, SERVICE, readonly=True) as conn:
            rows = await conn.fetch("select name from public.unattached_uploads($1, $2)", age, BATCH)
        if not rows:
            return removed
        deleted = await objects_sql.delete_as_caller(service.pool, SERVICE, BUCKET, [row["name"] for row in rows])
        for row in deleted:
            service.blobs.remove(row["version"])
        removed += len(deleted)
        if len(rows) < BATCH or not deleted:
            return removed


async def sweep_forever(service: StorageService, interval_s: float, age: timedelta) -> None:
    while True:
        try:
            removed = await sweep_once(service, age)
            if removed:
                log.info("removed %d upload(s) never attached to a message (older than %s)", removed, age)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, StorageError) as exc:
            # The database restarting, or a project without the migration: try again next time.
            log.warning("upload sweep skipped: %s", exc)
        await asyncio.sleep(interval_s)
