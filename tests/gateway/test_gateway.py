"""The gateway's promises to operators: one log line per request carrying the id the client got
back, and an unexpected failure answered with a generic 500 and that id — never the cause."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import httpx
import pytest
from starlette.types import Receive, Scope, Send
from tests.conftest import RunningServer

from supadesk.config import Settings
from supadesk.server.app import Gateway
from supadesk.server.log_output import FORMAT, BatchedStreamHandler
from supadesk.server.surface import Surface


def test_each_request_is_logged_once_with_the_id_returned_to_the_client(server: RunningServer) -> None:
    response = httpx.get(f"{server.api_url}/rest/v1/tickets?select=id&limit=1", headers={"apikey": server.anon_key})
    request_id = response.headers["x-request-id"]
    deadline = time.monotonic() + 5
    lines: list[str] = []
    while time.monotonic() < deadline and not lines:
        lines = [line for line in server.log().splitlines() if f"request_id={request_id}" in line]
        time.sleep(0.05)
    assert len(lines) == 1, lines
    assert f"GET /rest/v1/tickets {response.status_code} " in lines[0]
    assert "ms request_id=" in lines[0]


async def _boom(scope: Scope, receive: Receive, send: Send) -> None:
    raise RuntimeError("password=hunter2 in a connection string")


async def test_an_unexpected_failure_is_a_generic_500_with_the_cause_only_in_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    gateway = Gateway(Settings(), "postgresql://unused")
    gateway.surfaces = [Surface(prefix="/boom", app=_boom, requires_api_key=False)]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://test") as client:
        with caplog.at_level(logging.INFO, logger="supadesk.server"):
            response = await client.get("/boom/x")
    assert response.status_code == 500
    request_id = response.headers["x-request-id"]
    assert response.json() == {
        "code": "unexpected_failure",
        "message": "Internal server error",
        "request_id": request_id,
    }
    assert "hunter2" not in response.text and "Traceback" not in response.text
    failure = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert request_id in failure.getMessage() and "hunter2" in str(failure.exc_info[1] if failure.exc_info else "")
    assert any("GET /boom/x 500 " in r.getMessage() for r in caplog.records)


def test_log_lines_are_batched_but_errors_are_written_at_once(tmp_path: Path) -> None:
    path = tmp_path / "server.log"
    with open(path, "w", buffering=64 * 1024) as stream:
        handler = BatchedStreamHandler(stream, interval_s=3600)
        handler.setFormatter(logging.Formatter(FORMAT))
        logger = logging.getLogger("supadesk.test.batched")
        logger.propagate = False
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        try:
            logger.info("GET /rest/v1/tickets 200")
            assert path.read_text() == ""  # buffered: no write syscall per line
            logger.error("storage failed")
            assert path.read_text().splitlines()[-1].endswith("storage failed")  # errors are never delayed
            logger.info("after the error")
        finally:
            logger.removeHandler(handler)
            handler.close()
        assert path.read_text().splitlines()[-1].endswith("after the error")  # flushed on close
