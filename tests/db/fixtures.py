"""Fixtures shared by tests/db, tests/rls and tests/cli (their conftests import them)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from tests.db.support import create_database, drop_database, scratch_name

from supadesk.config import Settings
from supadesk.database.migrate import migrate


@pytest.fixture(scope="session")
async def conn(db_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A superuser connection to the session's migrated database (use `rolled_back`)."""
    connection = await asyncpg.connect(db_url)
    yield connection
    await connection.close()


@pytest.fixture(scope="session")
async def migrated_template(settings: Settings) -> AsyncIterator[str]:
    """A migrated database that scratch databases are cloned from (cloning beats migrating)."""
    url = await create_database(scratch_name("template"))
    await migrate(settings, url)
    yield url.rsplit("/", 1)[-1]
    await drop_database(url)


@pytest.fixture
async def scratch_url(migrated_template: str) -> AsyncIterator[str]:
    """A private, migrated database for a test that commits (seeds, CLI commands, resets)."""
    url = await create_database(scratch_name("scratch"), template=migrated_template)
    yield url
    await drop_database(url)


@pytest.fixture
async def empty_url() -> AsyncIterator[str]:
    """A private database with nothing in it."""
    url = await create_database(scratch_name("empty"))
    yield url
    await drop_database(url)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
