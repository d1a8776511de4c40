"""`SUPADESK_FUNCTIONS=off`: a server that runs no Deno at all (a second realtime process, say)
answers every function call at once with 503 FUNCTIONS_DISABLED and serves the other APIs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.conftest import RunningServer, start_server, stop_server


def _children(pid: int) -> list[str]:
    names = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            try:
                names.append(Path(f"/proc/{child}/comm").read_text().strip())
            except OSError:
                continue
    return names


@pytest.fixture(scope="module")
def server_without_functions(
    db_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RunningServer, Path]]:
    data_dir = tmp_path_factory.mktemp("functions-off-data")
    log = tmp_path_factory.mktemp("functions-off") / "server.log"
    running = start_server(db_url, data_dir, log, env={"SUPADESK_FUNCTIONS": "off"})
    yield running, data_dir
    stop_server(running)


def test_function_calls_are_refused_and_no_deno_runs(server_without_functions: tuple[RunningServer, Path]) -> None:
    server, data_dir = server_without_functions
    response = httpx.post(
        f"{server.api_url}/functions/v1/create-ticket",
        headers={"apikey": server.anon_key, "Authorization": f"Bearer {server.anon_key}"},
        json={"subject": "Hello"},
        timeout=10,
    )
    assert response.status_code == 503
    assert response.json()["code"] == "FUNCTIONS_DISABLED"
    assert "deno" not in _children(server.process.pid)
    assert not (data_dir / "functions.log").exists()
    # everything else still answers
    health = httpx.get(f"{server.api_url}/auth/v1/health", headers={"apikey": server.anon_key})
    assert health.status_code == 200
