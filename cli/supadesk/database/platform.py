"""Apply `sql/` — the platform Supabase itself provides (roles, auth, storage, realtime) — to a
plain PostgreSQL. Never deployed to Supabase. Each file is applied once, in its own transaction,
and recorded in `supadesk_platform.versions`, so an older database is upgraded file by file.
The bookkeeping schema belongs to supabase_admin so the stock CLI's `db reset` keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import asyncpg

from supadesk.database.errors import DatabaseError
from supadesk.database.scripts import SqlScript, list_scripts

_BOOKKEEPING = """
create schema if not exists supadesk_platform;
create table if not exists supadesk_platform.versions (
    version text primary key,
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default now()
);
"""


@dataclass(frozen=True)
class PlatformStatus:
    applied: list[str]
    pending: list[SqlScript]

    @property
    def version(self) -> str | None:
        return self.applied[-1] if self.applied else None


async def applied_versions(conn: asyncpg.Connection) -> list[str]:
    exists = await conn.fetchval("select to_regclass('supadesk_platform.versions') is not null")
    if not exists:
        return []
    rows = await conn.fetch("select version from supadesk_platform.versions order by version::bigint")
    return [r["version"] for r in rows]


async def status(conn: asyncpg.Connection, sql_dir: Path) -> PlatformStatus:
    applied = await applied_versions(conn)
    pending = [s for s in list_scripts(sql_dir) if s.version not in set(applied)]
    return PlatformStatus(applied, pending)


async def apply(conn: asyncpg.Connection, sql_dir: Path) -> list[SqlScript]:
    """Apply pending platform files; returns what was applied."""
    # Serialise concurrent bootstraps of the same cluster (roles are cluster-wide).
    await conn.execute("select pg_advisory_lock(hashtext('supadesk_platform'))")
    try:
        await conn.execute(_BOOKKEEPING)
        pending = (await status(conn, sql_dir)).pending
        for script in pending:
            await _apply_one(conn, script)
        if await conn.fetchval("select exists (select from pg_roles where rolname = 'supabase_admin')"):
            await conn.execute("alter schema supadesk_platform owner to supabase_admin")
        return pending
    finally:
        await conn.execute("select pg_advisory_unlock(hashtext('supadesk_platform'))")


async def _apply_one(conn: asyncpg.Connection, script: SqlScript) -> None:
    try:
        async with conn.transaction():
            await conn.execute(script.text)
            await conn.execute(
                "insert into supadesk_platform.versions (version, name, checksum) values ($1, $2, $3)",
                script.version,
                script.name,
                script.checksum,
            )
    except asyncpg.PostgresError as exc:
        raise DatabaseError(f"platform file {script.path.name} failed: {exc}") from exc
