"""Apply `supabase/migrations` exactly as the stock Supabase CLI does: each file in its own
transaction, recorded in `supabase_migrations.schema_migrations (version, statements, name)`, so
`supabase migration list` and `supabase db push` agree with `supadesk db migrate` (and vice versa).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import asyncpg

from supadesk.database.errors import DatabaseError
from supadesk.database.scripts import SqlScript, list_scripts
from supadesk.database.sql_split import split_statements

# The same DDL the CLI runs before `db push` (pkg/migration/history.go).
_HISTORY_DDL = """
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
alter table supabase_migrations.schema_migrations add column if not exists statements text[];
alter table supabase_migrations.schema_migrations add column if not exists name text;
"""
LOCK_TIMEOUT = "4s"


@dataclass(frozen=True)
class MigrationStatus:
    applied: list[str]
    pending: list[SqlScript]
    unknown: list[str]  # recorded in the database but missing on disk


async def applied_versions(conn: asyncpg.Connection) -> list[str]:
    exists = await conn.fetchval("select to_regclass('supabase_migrations.schema_migrations') is not null")
    if not exists:
        return []
    rows = await conn.fetch("select version from supabase_migrations.schema_migrations order by version")
    return [r["version"] for r in rows]


async def status(conn: asyncpg.Connection, migrations_dir: Path) -> MigrationStatus:
    applied = await applied_versions(conn)
    local = list_scripts(migrations_dir)
    local_versions = {s.version for s in local}
    pending = [s for s in local if s.version not in set(applied)]
    return MigrationStatus(applied, pending, [v for v in applied if v not in local_versions])


async def apply(conn: asyncpg.Connection, migrations_dir: Path) -> list[SqlScript]:
    await conn.execute(_HISTORY_DDL)
    pending = (await status(conn, migrations_dir)).pending
    for script in pending:
        await _apply_one(conn, script)
    return pending


async def _apply_one(conn: asyncpg.Connection, script: SqlScript) -> None:
    try:
        async with conn.transaction():
            await conn.execute(f"set local lock_timeout = '{LOCK_TIMEOUT}'")
            await conn.execute(script.text)
            await conn.execute(
                "insert into supabase_migrations.schema_migrations (version, name, statements)"
                " values ($1, $2, $3)",
                script.version,
                script.name,
                split_statements(script.text),
            )
    except asyncpg.PostgresError as exc:
        detail = f" ({exc.detail})" if getattr(exc, "detail", None) else ""
        raise DatabaseError(f"migration {script.path.name} failed: {exc}{detail}") from exc
