"""Function log lines reach the server log and `<data_dir>/functions.log` tagged with the
function's name, and `supadesk functions logs [name]` shows them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from tests.conftest import ROOT, RunningServer

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _call(server: RunningServer, name: str, marker: str) -> None:
    async with httpx.AsyncClient() as plain:
        response = await plain.post(
            f"{server.api_url}/functions/v1/{name}",
            headers={"Authorization": f"Bearer {server.anon_key}", "x-marker": marker},
        )
    assert response.status_code < 600


async def _eventually(check, what: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(100):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(what)


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SUPADESK_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "supadesk", "functions", "logs", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


async def test_function_logs_are_tagged_and_shown_by_the_cli(functions_server: RunningServer, data_dir: Path) -> None:
    marker = f"marker-{uuid.uuid4().hex}"
    await _call(functions_server, "echo", marker)
    log_file = data_dir / "functions.log"
    await _eventually(lambda: log_file.exists() and marker in log_file.read_text(), "the log line never arrived")
    await _eventually(
        lambda: f"[echo] echo called with marker {marker}" in functions_server.log(), "not in the server log"
    )

    shown = _cli(data_dir, "echo", "--lines", "500")
    assert shown.returncode == 0, shown.stderr
    line = next(line for line in shown.stdout.splitlines() if marker in line)
    assert "[echo]" in line and "INFO" in line
    assert marker not in _cli(data_dir, "public-hook", "--lines", "500").stdout


async def test_function_errors_are_logged_with_their_cause(functions_server: RunningServer, data_dir: Path) -> None:
    await _call(functions_server, "crash", "")
    await _eventually(lambda: "kaboom" in _cli(data_dir, "crash", "--lines", "50").stdout, "the crash was not logged")
    assert "ERROR" in next(line for line in _cli(data_dir, "crash").stdout.splitlines() if "kaboom" in line)


async def test_logs_for_an_unknown_function_is_a_clear_empty_answer(data_dir: Path) -> None:
    shown = _cli(data_dir, "never-called-function")
    assert shown.returncode == 0
    assert "Traceback" not in shown.stdout + shown.stderr
