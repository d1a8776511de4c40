"""Recreate a database from nothing (`supadesk db reset`)."""

from __future__ import annotations

import asyncpg

from supadesk.database.errors import DatabaseError
from supadesk.database.locate import CONNECT_TIMEOUT_S, database_name, redact, with_database


async def recreate_database(url: str) -> None:
    """Drop (terminating its sessions) and create the URL's database."""
    name = database_name(url)
    if name in ("postgres", "template0", "template1"):
        raise DatabaseError(f"refusing to drop the '{name}' database; point --db-url at the app's database")
    try:
        admin = await asyncpg.connect(with_database(url, "postgres"), timeout=CONNECT_TIMEOUT_S)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        raise DatabaseError(f"cannot connect to {redact(url)}: {exc}") from exc
    try:
        quoted = await admin.fetchval("select quote_ident($1)", name)
        await admin.execute(f"drop database if exists {quoted} with (force)")
        await admin.execute(f"create database {quoted}")
    finally:
        await admin.close()
