"""Decide which PostgreSQL to use and make sure the database exists.

Order: an explicit URL (`--db-url` / SUPADESK_DB_URL) is used as given; otherwise the default
`postgresql://postgres@127.0.0.1:5432/supadesk` (created if missing); if no server answers there,
the embedded cluster under `.supadesk/pg` is started and used.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from supadesk.config import DEFAULT_DB_URL, Settings
from supadesk.database import embedded
from supadesk.database.errors import DatabaseError

CONNECT_TIMEOUT_S = 5


def with_database(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + dbname, parts.query, parts.fragment))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "postgres"


def redact(url: str) -> str:
    """The URL without its password, for printing."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return url


async def can_connect(url: str) -> bool:
    try:
        conn = await asyncpg.connect(url, timeout=CONNECT_TIMEOUT_S)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    await conn.close()
    return True


async def ensure_database_exists(url: str) -> None:
    """Create the URL's database when the server answers but the database is missing."""
    try:
        conn = await asyncpg.connect(url, timeout=CONNECT_TIMEOUT_S)
    except asyncpg.InvalidCatalogNameError:
        await _create_database(url)
        return
    except (TimeoutError, OSError) as exc:
        raise DatabaseError(f"cannot reach PostgreSQL at {redact(url)}: {exc}") from exc
    except asyncpg.PostgresError as exc:
        raise DatabaseError(f"cannot connect to {redact(url)}: {exc}") from exc
    await conn.close()


async def _create_database(url: str) -> None:
    admin = await asyncpg.connect(with_database(url, "postgres"), timeout=CONNECT_TIMEOUT_S)
    try:
        name = database_name(url)
        quoted = await admin.fetchval("select quote_ident($1)", name)
        try:
            await admin.execute(f"create database {quoted}")
        except asyncpg.DuplicateDatabaseError:
            pass  # created concurrently
    finally:
        await admin.close()


async def resolve_db_url(settings: Settings, *, allow_embedded: bool = True) -> str:
    """A reachable database URL for these settings (see module docstring)."""
    if settings.db_url:
        await ensure_database_exists(settings.db_url)
        return settings.db_url
    if await can_connect(with_database(DEFAULT_DB_URL, "postgres")):
        await ensure_database_exists(DEFAULT_DB_URL)
        return DEFAULT_DB_URL
    if not allow_embedded:
        raise DatabaseError(f"no PostgreSQL answers at {DEFAULT_DB_URL} and no --db-url was given")
    url = await asyncio.to_thread(embedded.start, settings.data_dir)
    await ensure_database_exists(url)
    return url
