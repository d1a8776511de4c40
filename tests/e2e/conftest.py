"""Browser end-to-end fixtures: Debian's Chromium driven by Playwright, a server with a built frontend,
an agent account and a small seeded history for the analytics tab."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from supadesk.accounts import create_agent
from supadesk.database.migrate import connect
from tests.conftest import ROOT, RunningServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
AGENT_EMAIL = "e2e-agent@supadesk.test"
AGENT_PASSWORD = "e2e-password-1"


@pytest.fixture(scope="session")
def built_frontend() -> Path:
    dist = ROOT / "frontend" / "dist"
    missing = [p for p in ("index.html", "widget/widget.js", "widget/demo.html") if not (dist / p).is_file()]
    if missing:
        pytest.fail(f"frontend is not built (missing {missing}); run `make build`")
    return dist


@pytest.fixture(scope="session")
def agent(server: RunningServer) -> tuple[str, str]:
    async def make() -> None:
        conn = await connect(server.db_url)
        try:
            exists = await conn.fetchval("select exists (select 1 from auth.users where email = $1)", AGENT_EMAIL)
            if not exists:
                await create_agent(conn, AGENT_EMAIL, AGENT_PASSWORD, "Erin Agent")
        finally:
            await conn.close()

    asyncio.run(make())
    return AGENT_EMAIL, AGENT_PASSWORD


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
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
