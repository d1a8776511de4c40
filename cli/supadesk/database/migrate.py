"""`supadesk db migrate`: the platform bootstrap (`sql/`), then pending app migrations."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from supadesk.config import Settings
from supadesk.database import migrations, platform
from supadesk.database.errors import DatabaseError
from supadesk.database.locate import redact
from supadesk.database.scripts import SqlScript


@dataclass(frozen=True)
class MigrateReport:
    platform_applied: list[SqlScript]
    migrations_applied: list[SqlScript]
    platform_version: str | None


async def connect(db_url: str) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(db_url, timeout=10)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        raise DatabaseError(f"cannot connect to {redact(db_url)}: {exc}") from exc


async def migrate(settings: Settings, db_url: str, *, platform_only: bool = False) -> MigrateReport:
    conn = await connect(db_url)
    try:
        applied_platform = await platform.apply(conn, settings.platform_sql_dir)
        version = (await platform.status(conn, settings.platform_sql_dir)).version
    finally:
        await conn.close()
    if platform_only:
        return MigrateReport(applied_platform, [], version)
    # A fresh session, so the database-level search_path set by the platform applies (as for the CLI).
    conn = await connect(db_url)
    try:
        applied = await migrations.apply(conn, settings.migrations_dir)
    finally:
        await conn.close()
    return MigrateReport(applied_platform, applied, version)
