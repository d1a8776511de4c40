"""The whole support flow in real Chromium, two browser contexts at once: a visitor on /widget and an
agent on /admin, through the built frontend, the local stack and nothing else."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, FrameLocator, Page, expect

from tests.e2e.conftest import AXE

TIMEOUT_MS = 20_000
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2b3d1a60000000049454e44ae426082"
)


def widget_frame(page: Page) -> FrameLocator:
    return page.frame_locator("iframe").first


def open_widget(page: Page, api_url: str) -> FrameLocator:
    page.goto(f"{api_url}/widget")
    page.get_by_role("button", name="Open support chat").click()
    frame = widget_frame(page)
    expect(frame.get_by_role("tab", name="New ticket")).to_be_visible(timeout=TIMEOUT_MS)
    return frame


def sign_in_agent(page: Page, api_url: str, email: str, password: str) -> None:
    page.goto(f"{api_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("tab", name="Tickets")).to_be_visible(timeout=TIMEOUT_MS)


def axe_violations(target: Page, frame_url_part: str | None = None) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page (or on the frame whose URL matches)."""
    frame = target.main_frame
    if frame_url_part:
        frame = next(f for f in target.frames if frame_url_part in f.url)
    frame.add_script_tag(path=str(AXE))
    result = frame.evaluate("async () => (await axe.run(document)).violations")
    return [v for v in result if v.get("impact") in ("serious", "critical")]


@pytest.fixture()
def visitor(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture()
def agent_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


def test_visitor_and_agent_support_flow(
    server: Any,
    built_frontend: Path,
    agent: tuple[str, str],
    visitor: BrowserContext,
    agent_context: BrowserContext,
    screenshots_dir: Path,
    tmp_path: Path,
) -> None:
    """Ticket with attachment → agent sees it live, downloads, replies (typing first) → visitor sees the
    reply live → resolve → visitor sees the status; reload keeps tickets; an outage loses nothing."""
    subject = f"Cannot export invoices {uuid.uuid4().hex[:6]}"
    attachment = tmp_path / "screenshot.png"
    attachment.write_bytes(PNG_1X1)

    # The agent is already watching the ticket list when the ticket arrives.
    agent_page = agent_context.new_page()
    sign_in_agent(agent_page, server.api_url, *agent)

    # The visitor opens the widget and creates a ticket.
    visitor_page = visitor.new_page()
    frame = open_widget(visitor_page, server.api_url)
    frame.get_by_label("Subject").fill(subject)
    frame.get_by_label("Message").fill("The export button spins forever since this morning.")
    frame.get_by_label("Email").fill("visitor@example.com")
    frame.get_by_label("Name").fill("Vera Visitor")
    frame.get_by_role("button", name="Create ticket").click()
    expect(frame.get_by_text("The export button spins forever since this morning.")).to_be_visible()

    # …and attaches a file to the conversation.
    frame.locator("input[type=file]").set_input_files(str(attachment))
    frame.get_by_label("Type your message").fill("Here is a screenshot.")
    frame.get_by_role("button", name="Send").click()
    expect(frame.get_by_text("Here is a screenshot.")).to_be_visible()
    expect(frame.get_by_text("screenshot.png").first).to_be_visible()
    visitor_page.screenshot(path=str(screenshots_dir / "widget-desktop.png"))

    # The ticket appears on the agent's list without a reload.
    row = agent_page.get_by_role("row").filter(has_text=subject)
    expect(row).to_be_visible()
    agent_page.screenshot(path=str(screenshots_dir / "dashboard-tickets.png"))
    row.get_by_text(subject).click()
    dialog = agent_page.get_by_role("dialog")
    expect(dialog.get_by_text("Here is a screenshot.")).to_be_visible()

    # The attachment downloads through its signed URL.
    link = dialog.get_by_role("link", name="screenshot.png").first
    href = link.get_attribute("href")
    if href and href.startswith("http"):
        assert httpx.get(href, timeout=10).content == PNG_1X1
    else:
        with agent_page.expect_download() as download_info:
            link.click()
        assert Path(download_info.value.path()).read_bytes() == PNG_1X1

    # Typing first, then the reply, live in the widget.
    reply_box = dialog.get_by_label("Reply")
    reply_box.press_sequentially("We are on it", delay=40)
    expect(frame.get_by_text("Support is typing…")).to_be_visible()
    reply_box.fill("We are on it — a fix is deploying now.")
    dialog.get_by_role("button", name="Send").click()
    expect(frame.get_by_text("We are on it — a fix is deploying now.")).to_be_visible()
    expect(frame.get_by_text("We are on it — a fix is deploying now.")).to_have_count(1)
    agent_page.screenshot(path=str(screenshots_dir / "dashboard-ticket-detail.png"))

    # The agent resolves the ticket; the visitor sees the new status.
    dialog.get_by_label("Status").click()
    agent_page.get_by_role("option", name="resolved").click()
    expect(frame.get_by_text("resolved", exact=False).first).to_be_visible()

    # A reload keeps the visitor's session and tickets.
    visitor_page.reload()
    visitor_page.get_by_role("button", name="Open support chat").click()
    frame = widget_frame(visitor_page)
    frame.get_by_role("tab", name="My tickets").click()
    expect(frame.get_by_text(subject)).to_be_visible()
    frame.get_by_text(subject).click()

    # The visitor's connection drops while the agent writes; nothing is missed, nothing doubled.
    visitor.set_offline(True)
    dialog.get_by_label("Reply").fill("Message sent while you were offline.")
    dialog.get_by_role("button", name="Send").click()
    expect(dialog.get_by_text("Message sent while you were offline.")).to_be_visible()
    visitor_page.wait_for_timeout(1500)
    visitor.set_offline(False)
    visitor_page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(frame.get_by_text("Message sent while you were offline.")).to_have_count(1)


def test_widget_mobile_is_full_screen(server: Any, built_frontend: Path, browser: Browser, screenshots_dir: Path) -> None:
    """Below 640 px the widget takes the whole screen, and its inputs are at least 16 px (no iOS zoom)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        frame = open_widget(page, server.api_url)
        box = page.locator("iframe").first.bounding_box()
        assert box is not None and box["width"] >= 389 and box["height"] >= 800
        size = frame.get_by_label("Subject").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        assert size >= 16
        page.screenshot(path=str(screenshots_dir / "widget-mobile.png"))
    finally:
        context.close()


def test_no_serious_accessibility_violations(
    server: Any, built_frontend: Path, agent: tuple[str, str], browser: Browser
) -> None:
    """axe-core finds no serious or critical violations on the widget, the login page and the dashboard."""
    context = browser.new_context()
    page = context.new_page()
    try:
        open_widget(page, server.api_url)
        assert axe_violations(page, "/widget/frame") == []
        page.goto(f"{server.api_url}/login")
        page.get_by_label("Email").wait_for()
        assert axe_violations(page) == []
        sign_in_agent(page, server.api_url, *agent)
        assert axe_violations(page) == []
    finally:
        context.close()


def test_analytics_tab_shows_cards_and_charts(
    server: Any, built_frontend: Path, agent: tuple[str, str], browser: Browser, screenshots_dir: Path
) -> None:
    """The analytics tab renders the metric cards and charts from the SQL analytics."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        sign_in_agent(page, server.api_url, *agent)
        page.get_by_role("tab", name="Analytics").click()
        for title in ("Open tickets", "New today", "First response (median)", "Resolution (median)", "Resolved share"):
            expect(page.get_by_text(title).first).to_be_visible(timeout=TIMEOUT_MS)
        expect(page.locator(".recharts-surface").first).to_be_visible(timeout=TIMEOUT_MS)
        page.screenshot(path=str(screenshots_dir / "dashboard-analytics.png"))
    finally:
        context.close()


def test_bundle_has_no_service_key(built_frontend: Path, server: Any) -> None:
    """No service key or JWT secret ships in the built frontend."""
    blobs = [p.read_text(errors="ignore") for p in built_frontend.rglob("*") if p.suffix in (".js", ".html", ".json")]
    joined = "\n".join(blobs)
    assert server.service_role_key not in joined
    assert "service_role" not in joined
    assert json.dumps(server.anon_key)[1:-1] not in joined  # the anon key too is read at runtime
