"""Shared fixtures: a freshly migrated test database and a running `supadesk start` on a free port.

Every suite talks to real components: PostgreSQL (SUPADESK_TEST_PG_URL, default the local server on
5432), the real server process, and the official clients.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from supadesk.config import Settings
from supadesk.database.locate import with_database
from supadesk.database.migrate import migrate
from supadesk.database.reset import recreate_database
from supadesk.keys import ProjectKeys

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("SUPADESK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _drop_database(url: str) -> None:
    import asyncpg

    async def drop() -> None:
        conn = await asyncpg.connect(with_database(url, "postgres"))
        try:
            name = url.rsplit("/", 1)[-1]
            await conn.execute(f'drop database if exists "{name}" with (force)')
        finally:
            await conn.close()

    asyncio.run(drop())


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private .supadesk directory (JWT secret, storage files) for this test session."""
    path = tmp_path_factory.mktemp("supadesk-data")
    os.environ["SUPADESK_DATA_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    return Settings(project_dir=ROOT)


@pytest.fixture(scope="session")
def db_url(settings: Settings) -> Iterator[str]:
    """A new database, migrated with sql/ and supabase/migrations, dropped at the end."""
    url = with_database(PG_URL, f"supadesk_test_{os.getpid()}_{uuid.uuid4().hex[:6]}")

    async def create() -> None:
        await recreate_database(url)
        await migrate(settings, url)

    asyncio.run(create())
    yield url
    _drop_database(url)


@pytest.fixture(scope="session")
def keys(data_dir: Path) -> ProjectKeys:
    from supadesk.keys import load_keys

    return load_keys(data_dir)


@dataclass
class RunningServer:
    api_url: str
    db_url: str
    anon_key: str
    service_role_key: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_server(db_url: str, data_dir: Path, log_path: Path, env: dict[str, str] | None = None) -> RunningServer:
    port = free_port()
    full_env = {**os.environ, "SUPADESK_DATA_DIR": str(data_dir), "SUPADESK_PROJECT_DIR": str(ROOT), **(env or {})}
    log_file = open(log_path, "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "supadesk", "start", "--db-url", db_url, "--port", str(port)],
        stdout=log_file,
        stderr=subprocess.STDOUT,
        env=full_env,
        cwd=ROOT,
    )
    api_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"supadesk start exited:\n{log_path.read_text(errors='replace')}")
        try:
            response = httpx.get(f"{api_url}/supadesk-config.json", timeout=1)
            if response.status_code == 200:
                config = response.json()
                info = json.loads((data_dir / f"server-{port}.json").read_text())
                return RunningServer(api_url, db_url, config["anonKey"], info["service_role_key"], process, log_path)
        except (httpx.HTTPError, FileNotFoundError):
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"supadesk start did not answer within 60 s:\n{log_path.read_text(errors='replace')}")


def stop_server(server: RunningServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def server(db_url: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """`supadesk start` against the test database, on a free port, for the whole session."""
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    # All test traffic comes from 127.0.0.1: the shared server runs without per-IP ticket limits;
    # the suites that test limits start their own server with low ones.
    env = {
        "SUPADESK_CREATE_TICKET_LIMIT_PER_IP": "0",
        "SUPADESK_CREATE_TICKET_LIMIT_PER_VISITOR": "0",
        "SUPADESK_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS": "0",
        "SUPADESK_AUTH_RATE_LIMIT_ANONYMOUS_USERS": "0",
    }
    running = start_server(db_url, data_dir, log_path, env=env)
    yield running
    stop_server(running)
