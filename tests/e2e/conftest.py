"""Browser end-to-end fixtures: Debian's Chromium driven by Playwright, a server with a built frontend,
an agent account, and a second server on its own database seeded with demo history (analytics), so the
shared test database is not polluted by 300 demo tickets."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, Playwright, expect, sync_playwright
from tests.conftest import PG_URL, ROOT, RunningServer, _drop_database, start_server, stop_server
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect as ws_connect

from supadesk.accounts import create_agent
from supadesk.config import Settings
from supadesk.database.demo import seed_demo
from supadesk.database.locate import with_database
from supadesk.database.migrate import connect, migrate
from supadesk.database.reset import recreate_database

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
AGENT_EMAIL = "e2e-agent@supadesk.test"
AGENT_PASSWORD = "e2e-password-1"
# Generous: a loaded 2-core machine runs the server, PostgreSQL, two Chromium contexts and other suites.
TIMEOUT_MS = 20_000
NO_RATE_LIMITS = {
    "SUPADESK_CREATE_TICKET_LIMIT_PER_IP": "0",
    "SUPADESK_CREATE_TICKET_LIMIT_PER_VISITOR": "0",
    "SUPADESK_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS": "0",
    "SUPADESK_AUTH_RATE_LIMIT_ANONYMOUS_USERS": "0",
}

expect.set_options(timeout=TIMEOUT_MS)

T = TypeVar("T")


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on a thread of its own: Playwright's sync API keeps an event loop
    running in the test thread once it has started, where asyncio.run() is refused."""
    return in_thread(asyncio.run, coro)


def in_thread(fn: Callable[..., T], *args: Any) -> T:
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


@pytest.fixture(scope="session")
def built_frontend() -> Path:
    dist = ROOT / "frontend" / "dist"
    missing = [
        p
        for p in ("index.html", "widget/widget.js", "widget/frame.html", "widget/demo.html")
        if not (dist / p).is_file()
    ]
    if missing:
        pytest.fail(
            f"frontend is not built (missing {missing} in {dist}); run `cd frontend && npm run build` or `make build`"
        )
    return dist


async def _ensure_agent(db_url: str) -> None:
    conn = await connect(db_url)
    try:
        exists = await conn.fetchval("select exists (select 1 from auth.users where email = $1)", AGENT_EMAIL)
        if not exists:
            await create_agent(conn, AGENT_EMAIL, AGENT_PASSWORD, "Erin Agent")
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def agent(server: RunningServer) -> tuple[str, str]:
    run_async(_ensure_agent(server.db_url))
    return AGENT_EMAIL, AGENT_PASSWORD


def wait_for_change_capture(server: RunningServer, limit_s: float = 120.0) -> None:
    """Join a postgres_changes channel (Phoenix protocol, anon key) until the server accepts it.

    The server answers such a join only once its change capture runs, and creating its replication slot
    waits for every write transaction open on the PostgreSQL *cluster* — on a shared machine another
    suite's long transaction can delay that. Without this wait the first live update would silently not
    arrive and the test would fail far from the cause."""
    url = server.api_url.replace("http", "ws", 1) + f"/realtime/v1/websocket?apikey={server.anon_key}&vsn=1.0.0"
    join = {
        "topic": "realtime:e2e-readiness",
        "event": "phx_join",
        "payload": {
            "config": {
                "postgres_changes": [{"event": "INSERT", "schema": "public", "table": "tickets"}],
                "private": False,
            },
            "access_token": server.anon_key,
        },
        "ref": "1",
        "join_ref": "1",
    }
    deadline = time.monotonic() + limit_s
    last: object = None
    while time.monotonic() < deadline:
        try:
            with ws_connect(url, open_timeout=10, close_timeout=2) as ws:
                ws.send(json.dumps(join))
                while time.monotonic() < deadline:
                    message = json.loads(ws.recv(timeout=max(1.0, deadline - time.monotonic())))
                    if message.get("event") == "phx_reply" and message.get("ref") == "1":
                        last = message.get("payload")
                        if isinstance(last, dict) and last.get("status") == "ok":
                            return
                        break
        except (OSError, TimeoutError, WebSocketException) as exc:
            last = repr(exc)
        time.sleep(1)  # polling interval between join attempts, not a synchronisation
    pytest.fail(
        f"realtime change capture of {server.api_url} not ready after {limit_s:.0f} s (last reply: {last}); "
        "is a long write transaction open elsewhere on the PostgreSQL cluster? (server log: "
        f"{server.log_path})"
    )


@pytest.fixture(scope="session")
def live_server(server: RunningServer) -> RunningServer:
    """The shared server, once it delivers database changes live (see wait_for_change_capture)."""
    wait_for_change_capture(server)
    return server


@pytest.fixture(scope="module")
def seeded_server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """`supadesk start` on a database of its own: migrated, 300 demo tickets (seed 1), the e2e agent."""
    url = with_database(PG_URL, f"supadesk_e2e_demo_{os.getpid()}_{uuid.uuid4().hex[:6]}")

    async def prepare() -> None:
        await recreate_database(url)
        await migrate(settings, url)
        await seed_demo(url, tickets=300, seed=1)
        await _ensure_agent(url)

    run_async(prepare())
    try:
        data_dir = tmp_path_factory.mktemp("supadesk-demo-data")
        log_path = tmp_path_factory.mktemp("demo-server") / "server.log"
        running = start_server(url, data_dir, log_path, env=NO_RATE_LIMITS)
        try:
            yield running
        finally:
            stop_server(running)
    finally:
        in_thread(_drop_database, url)  # asyncio.run inside, refused next to Playwright's loop


# Module scope: sync Playwright keeps an event loop running in this thread while it is open, which
# would break every asyncio-based suite that runs after this one.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: install Debian's chromium package (make system-deps)")
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
