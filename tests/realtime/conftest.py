"""Fixtures of the realtime suite: a private PostgreSQL, one `supadesk start` for the session (and a
second process on the same database), a database connection, users."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from tests.conftest import RunningServer, free_port
from tests.realtime import rt_cluster, rt_servers

from supadesk.config import Settings
from supadesk.database.migrate import migrate
from supadesk.database.reset import recreate_database
from supadesk.keys import ProjectKeys

# Both servers work in small batches, so the tests also drive the backlog path (a slot holding
# more than one batch must be drained without further writes). The second process reads its slot
# with the SQL functions (the fallback when replication connections are refused), so the suite
# covers both capture sources.
SHARED_SERVER_ENV = {"SUPADESK_REALTIME_POLL_MAX_CHANGES": "64"}
SECOND_SERVER_ENV = {**SHARED_SERVER_ENV, "SUPADESK_REALTIME_CAPTURE": "poll"}


@pytest.fixture(scope="session")
def private_cluster() -> Iterator[rt_cluster.Cluster]:
    """A private PostgreSQL for this suite (see rt_cluster.py)."""
    cluster = rt_cluster.create(free_port())
    yield cluster
    rt_cluster.destroy(cluster)


def migrated_database(cluster: rt_cluster.Cluster, settings: Settings, name: str) -> str:
    url = cluster.url(name)

    async def create() -> None:
        await recreate_database(url)
        await migrate(settings, url)

    asyncio.run(create())
    return url


@pytest.fixture(scope="session")
def db_url(private_cluster: rt_cluster.Cluster, settings: Settings) -> str:
    """Overrides the shared-server database: a migrated `sd_rt_test` on the private cluster."""
    return migrated_database(private_cluster, settings, "sd_rt_test")


@pytest.fixture(scope="session")
def rt_server(db_url: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    server = rt_servers.start(db_url, data_dir, tmp_path_factory.mktemp("rt-server") / "server.log", SHARED_SERVER_ENV)
    yield server
    rt_servers.stop(server)


@pytest.fixture(scope="session")
def rt_server_b(db_url: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A second `supadesk start` on the same database (its own port, slot and sockets)."""
    log_path = tmp_path_factory.mktemp("rt-server-b") / "server.log"
    server = rt_servers.start(db_url, data_dir, log_path, {**rt_servers.NO_FUNCTIONS, **SECOND_SERVER_ENV})
    yield server
    rt_servers.stop(server)


@pytest.fixture(params=["stream", "poll"])
def capture_server(request: pytest.FixtureRequest) -> RunningServer:
    """Each capture source in turn: the shared server streams, the second one polls."""
    server: RunningServer = request.getfixturevalue("rt_server" if request.param == "stream" else "rt_server_b")
    return server


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(db_url)
    yield conn
    await conn.close()


@pytest.fixture
def project_keys(keys: ProjectKeys) -> ProjectKeys:
    return keys
