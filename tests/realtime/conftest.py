"""Fixtures of the realtime suite: one server for the session, a database connection, users."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rt_support import start_any_server

from supadesk.keys import ProjectKeys


@pytest.fixture(scope="session")
def rt_cluster() -> Iterator[Any]:
    """A private PostgreSQL for this suite (see rt_cluster.py)."""
    import rt_cluster as clusters

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from conftest import free_port

    cluster = clusters.create(free_port())
    yield cluster
    clusters.destroy(cluster)


@pytest.fixture(scope="session")
def db_url(rt_cluster: Any, settings: Any) -> str:
    """Overrides the shared-server database: a migrated `sd_rt_test` on the private cluster."""
    import asyncio

    from supadesk.database.migrate import migrate
    from supadesk.database.reset import recreate_database

    url = rt_cluster.url("sd_rt_test")

    async def create() -> None:
        await recreate_database(url)
        await migrate(settings, url)

    asyncio.run(create())
    return url


@pytest.fixture(scope="session")
def rt_server(db_url: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from conftest import stop_server

    log_path = tmp_path_factory.mktemp("rt-server") / "server.log"
    server = start_any_server(db_url, data_dir, log_path)
    yield server
    stop_server(server)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(db_url)
    yield conn
    await conn.close()


@pytest.fixture
def project_keys(keys: ProjectKeys) -> ProjectKeys:
    return keys
