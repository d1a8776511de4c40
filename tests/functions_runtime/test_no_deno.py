"""Without a usable Deno binary the server still starts; function calls answer 503 BOOT_ERROR at
once (no hang) and the reason is in the function log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.conftest import RunningServer, start_server, stop_server


@pytest.fixture(scope="module")
def server_without_deno(
    db_url: str, data_dir: Path, functions_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    log = tmp_path_factory.mktemp("no-deno") / "server.log"
    env = {"SUPADESK_PROJECT_DIR": str(functions_project), "SUPADESK_DENO": "/nonexistent/deno"}
    running = start_server(db_url, data_dir, log, env=env)
    yield running
    stop_server(running)


def test_calls_fail_fast_with_boot_error(server_without_deno: RunningServer, data_dir: Path) -> None:
    response = httpx.post(f"{server_without_deno.api_url}/functions/v1/public-hook", timeout=10)
    assert response.status_code == 503
    assert response.json()["code"] == "BOOT_ERROR"
    assert "/nonexistent/deno" not in response.text
    assert "cannot start Deno (/nonexistent/deno)" in (data_dir / "functions.log").read_text()
    # the rest of the API is unaffected (here: an unknown storage route, answered in Storage's format)
    unknown = httpx.get(
        f"{server_without_deno.api_url}/storage/v1/bucket/x/nothing-here",
        headers={"apikey": server_without_deno.anon_key},
    )
    assert unknown.status_code == 404 and unknown.json()["statusCode"] == "404"
