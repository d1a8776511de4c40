"""The whole support flow in real Chromium, two browser contexts at once: a visitor on /widget and an
agent on /admin, through the built frontend, the local stack and nothing else.

Accessible names: frontend/src/README.md (dashboard) and frontend/widget/README.md (widget). Every wait
is on a condition (Playwright `expect`, 20 s), never a fixed sleep."""

from __future__ import annotations

import base64
import binascii
import json
import re
import struct
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, FrameLocator, Locator, Page, expect
from tests.conftest import RunningServer
from tests.e2e.conftest import AGENT_EMAIL, AGENT_PASSWORD, AXE, TIMEOUT_MS, run_async

from supadesk.database.migrate import connect


def make_png(width: int, height: int) -> bytes:
    """A real PNG (a colour gradient): storage checks the content's magic bytes against the declared type."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + b"".join(bytes((40 + 180 * x // width, 90 + 120 * y // height, 235)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PNG_WIDTH, PNG_HEIGHT = 160, 100
PNG = make_png(PNG_WIDTH, PNG_HEIGHT)
FIRST_MESSAGE = "The export button spins forever since this morning."
REPLY = "We are on it — a fix is deploying now."
OFFLINE_REPLY = "Message sent while you were offline."
TYPING = "Support is typing…"
PAUSED = "Live updates paused — reconnecting…"


# ---------------------------------------------------------------------------------------------- helpers


def widget_frame(page: Page) -> FrameLocator:
    return page.frame_locator('iframe[title="Support chat"]')


def widget_frame_object(page: Page) -> Frame:
    """The iframe as a Frame (for evaluate / axe)."""
    for frame in page.frames:
        if "/widget/frame" in frame.url:
            return frame
    raise AssertionError(f"no widget iframe among {[f.url for f in page.frames]}")


def open_widget(page: Page, api_url: str | None = None) -> FrameLocator:
    if api_url is not None:
        page.goto(f"{api_url}/widget")
    page.get_by_role("button", name="Open support chat").click()
    frame = widget_frame(page)
    expect(frame.get_by_role("tab", name="New ticket")).to_be_visible()
    return frame


def create_ticket(frame: FrameLocator, subject: str, message: str, attachment: Path | None = None) -> None:
    frame.get_by_role("tab", name="New ticket").click()
    frame.get_by_label("Subject", exact=True).fill(subject)
    frame.get_by_label("Message", exact=True).fill(message)
    frame.get_by_label("Email", exact=True).fill("visitor@example.com")
    frame.get_by_label("Name", exact=True).fill("Vera Visitor")
    if attachment is not None:
        frame.locator("form input[type=file]").set_input_files(str(attachment))
        expect(frame.get_by_text(attachment.name)).to_be_visible()
    frame.get_by_role("button", name="Create ticket").click()
    # The widget switches to the new ticket's conversation.
    expect(frame.get_by_role("heading", name=re.compile(r"^#\d+ " + re.escape(subject) + "$"))).to_be_visible()
    expect(conversation(frame).get_by_text(message)).to_be_visible()


def conversation(scope: FrameLocator | Locator) -> Locator:
    return scope.get_by_role("log", name="Conversation")


def sign_in_agent(page: Page, api_url: str, email: str, password: str) -> None:
    page.goto(f"{api_url}/login")
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("tab", name="Tickets")).to_be_visible()
    expect(page.get_by_role("table", name="Tickets")).to_be_visible()


def mark_document(frame: Frame) -> None:
    """Leave a marker on the document: it survives anything but a reload/navigation."""
    frame.evaluate("window.__e2eNoReload = true")


def assert_not_reloaded(frame: Frame, who: str) -> None:
    assert frame.evaluate("window.__e2eNoReload === true"), f"the {who} page was reloaded or navigated"


def expect_image_loaded(image: Locator) -> None:
    """The preview <img> is shown and its signed URL really served the picture."""
    expect(image).to_be_visible()
    expect(image).to_have_js_property("complete", True)
    expect(image).to_have_js_property("naturalWidth", PNG_WIDTH)


def axe_violations(frame: Frame) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations in the frame's document (summarised for the message)."""
    frame.add_script_tag(path=str(AXE))
    result = frame.evaluate("async () => (await axe.run(document)).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result
        if v.get("impact") in ("serious", "critical")
    ]


# --------------------------------------------------------------------------------------------- fixtures


@pytest.fixture()
def visitor(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture()
def agent_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


# ------------------------------------------------------------------------------------------------ tests


def test_visitor_and_agent_support_flow(
    live_server: RunningServer,
    built_frontend: Path,
    agent: tuple[str, str],
    visitor: BrowserContext,
    agent_context: BrowserContext,
    screenshots_dir: Path,
    tmp_path: Path,
) -> None:
    """Ticket with attachment → agent sees it live, downloads, replies (typing first) → visitor sees the
    reply live → resolve → visitor sees the status; reload keeps tickets; an outage loses nothing."""
    server = live_server
    subject = f"Cannot export invoices {uuid.uuid4().hex[:6]}"
    attachment = tmp_path / "screenshot.png"
    attachment.write_bytes(PNG)

    # The agent is already watching the ticket list when the ticket arrives.
    agent_page = agent_context.new_page()
    sign_in_agent(agent_page, server.api_url, *agent)
    mark_document(agent_page.main_frame)

    # The visitor opens the widget and creates a ticket with an attachment (sent once the ticket exists).
    visitor_page = visitor.new_page()
    frame = open_widget(visitor_page, server.api_url)
    create_ticket(frame, subject, FIRST_MESSAGE, attachment)
    visitor_log = conversation(frame)
    expect(visitor_log.get_by_role("link", name="Download screenshot.png")).to_be_visible()
    expect(visitor_log.get_by_text("Sending…")).to_have_count(0)
    expect_image_loaded(visitor_log.get_by_role("img", name="screenshot.png"))
    widget = widget_frame_object(visitor_page)
    mark_document(widget)

    # The ticket appears on the agent's list without a reload.
    row = agent_page.get_by_role("table", name="Tickets").get_by_role("row").filter(has_text=subject)
    expect(row).to_have_count(1)
    assert_not_reloaded(agent_page.main_frame, "agent")
    row.get_by_role("link", name=subject).click()
    dialog = agent_page.get_by_role("dialog", name=re.compile(re.escape(subject) + "$"))
    agent_log = conversation(dialog)
    expect(agent_log.get_by_text(FIRST_MESSAGE)).to_be_visible()

    # The attachment downloads through its signed URL, byte for byte.
    link = agent_log.get_by_role("link", name="screenshot.png", exact=True)
    expect(link).to_have_attribute("href", re.compile(r"\S"))
    with agent_page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "screenshot.png"
    assert Path(download.path()).read_bytes() == PNG
    expect_image_loaded(agent_log.get_by_role("img", name="Preview of screenshot.png"))

    # Typing first, then the reply, live in the widget (exactly once), and the indicator goes away.
    reply_box = dialog.get_by_role("textbox", name="Reply")
    reply_box.press_sequentially("We are on it", delay=40)
    expect(frame.get_by_text(TYPING)).to_be_visible()
    expect(visitor_log.get_by_text(REPLY)).to_have_count(0)
    reply_box.fill(REPLY)
    dialog.get_by_role("button", name="Send").click()
    expect(agent_log.get_by_text(REPLY)).to_have_count(1)
    expect(visitor_log.get_by_text(REPLY)).to_be_visible()
    expect(visitor_log.get_by_text(REPLY)).to_have_count(1)
    expect(frame.get_by_text(TYPING)).to_have_count(0)
    assert_not_reloaded(widget, "visitor")
    visitor_page.screenshot(path=str(screenshots_dir / "widget-desktop.png"))
    agent_page.screenshot(path=str(screenshots_dir / "dashboard-ticket-detail.png"))

    # The agent resolves the ticket; the visitor sees the new status without reloading.
    detail = frame.get_by_role("region", name=re.compile(re.escape(subject) + "$"))
    expect(detail.get_by_text("open", exact=True)).to_be_visible()
    dialog.get_by_role("combobox", name="Status").click()
    agent_page.get_by_role("option", name="Resolved", exact=True).click()
    expect(dialog.get_by_role("combobox", name="Status")).to_have_text("Resolved")
    expect(detail.get_by_text("resolved", exact=True)).to_be_visible()
    assert_not_reloaded(widget, "visitor")

    # A reload keeps the visitor's session and tickets (with their current status).
    visitor_page.reload()
    frame = open_widget(visitor_page)
    frame.get_by_role("tab", name="My tickets").click()
    item = frame.get_by_role("list", name="My tickets").get_by_role("button", name=re.compile(re.escape(subject)))
    expect(item).to_have_count(1)
    expect(item).to_contain_text("resolved")
    item.click()
    visitor_log = conversation(frame)
    expect(visitor_log.get_by_text(REPLY)).to_have_count(1)
    expect(visitor_log.get_by_role("link", name="Download screenshot.png")).to_be_visible()
    messages_before = visitor_log.get_by_role("listitem").count()
    assert messages_before >= 3  # first message, attachment, reply

    # The visitor's connection drops while the agent writes; nothing is missed, nothing doubled.
    visitor.set_offline(True)
    expect(frame.get_by_role("status")).to_have_text(PAUSED)
    dialog.get_by_role("textbox", name="Reply").fill(OFFLINE_REPLY)
    dialog.get_by_role("button", name="Send").click()
    expect(agent_log.get_by_text(OFFLINE_REPLY)).to_have_count(1)
    expect(frame.get_by_role("status")).to_have_text(PAUSED)
    expect(visitor_log.get_by_text(OFFLINE_REPLY)).to_have_count(0)  # really cut off: not delivered live
    visitor.set_offline(False)
    expect(visitor_log.get_by_text(OFFLINE_REPLY)).to_be_visible()
    expect(frame.get_by_text(PAUSED)).to_have_count(0)  # the banner clears once live again
    expect(visitor_log.get_by_text(OFFLINE_REPLY)).to_have_count(1)
    expect(visitor_log.get_by_text(REPLY)).to_have_count(1)
    expect(visitor_log.get_by_role("listitem")).to_have_count(messages_before + 1)


def test_widget_mobile_is_full_screen(
    server: RunningServer, built_frontend: Path, browser: Browser, screenshots_dir: Path
) -> None:
    """Below 640 px the widget takes the whole screen, and its inputs are at least 16 px (no iOS zoom)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        frame = open_widget(page, server.api_url)
        box = page.locator('iframe[title="Support chat"]').bounding_box()
        assert box is not None and box["x"] <= 1 and box["y"] <= 1, box
        assert box["width"] >= 389 and box["height"] >= 843, box
        for label in ("Subject", "Message", "Email", "Name"):
            size = frame.get_by_label(label, exact=True).evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
            assert size >= 16, f"{label}: {size}px"
        create_ticket(frame, f"Refund for order {uuid.uuid4().hex[:6]}", "I was charged twice for order 1042.")
        size = frame.get_by_role("textbox", name="Type your message").evaluate(
            "el => parseFloat(getComputedStyle(el).fontSize)"
        )
        assert size >= 16, f"reply box: {size}px"
        page.screenshot(path=str(screenshots_dir / "widget-mobile.png"))
    finally:
        context.close()


def test_no_serious_accessibility_violations(
    server: RunningServer, built_frontend: Path, agent: tuple[str, str], browser: Browser
) -> None:
    """axe-core finds no serious or critical violations in the widget (form and conversation, inside the
    iframe), on the login page, the tickets view and the ticket dialog. (Analytics: the seeded test.)"""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        frame = open_widget(page, server.api_url)
        assert axe_violations(widget_frame_object(page)) == [], "widget: new-ticket form"
        subject = f"Accessibility check {uuid.uuid4().hex[:6]}"
        create_ticket(frame, subject, "Checking the conversation view.")
        assert axe_violations(widget_frame_object(page)) == [], "widget: conversation"

        page.goto(f"{server.api_url}/login")
        expect(page.get_by_role("textbox", name="Email")).to_be_visible()
        assert axe_violations(page.main_frame) == [], "/login"
        sign_in_agent(page, server.api_url, *agent)
        row = page.get_by_role("table", name="Tickets").get_by_role("row").filter(has_text=subject)
        expect(row).to_have_count(1)
        assert axe_violations(page.main_frame) == [], "/admin tickets view"
        row.get_by_role("link", name=subject).click()
        dialog = page.get_by_role("dialog", name=re.compile(re.escape(subject) + "$"))
        expect(conversation(dialog).get_by_text("Checking the conversation view.")).to_be_visible()
        assert axe_violations(page.main_frame) == [], "/admin ticket dialog"
    finally:
        context.close()


def test_analytics_tab_shows_cards_and_charts(
    seeded_server: RunningServer, built_frontend: Path, browser: Browser, screenshots_dir: Path
) -> None:
    """On 300 seeded demo tickets (own database + server): the tickets view pages through them, and the
    analytics tab renders the metric cards (matching the database) and the three charts; a chart's
    table view drills down to its tickets."""

    async def counts() -> tuple[int, int]:
        conn = await connect(seeded_server.db_url)
        try:
            open_now = await conn.fetchval("select count(*) from public.tickets where status in ('open', 'pending')")
            total = await conn.fetchval("select count(*) from public.tickets")
            return int(open_now), int(total)
        finally:
            await conn.close()

    open_now, total = run_async(counts())
    assert total >= 300 and open_now > 0, (total, open_now)

    # Reduced motion: Recharts then draws without its entry animation (a complete screenshot).
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, reduced_motion="reduce")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in_agent(page, seeded_server.api_url, AGENT_EMAIL, AGENT_PASSWORD)
        table = page.get_by_role("table", name="Tickets")
        expect(table.get_by_role("row")).to_have_count(51)  # header + the first page of 50
        expect(page.get_by_role("button", name="Next page")).to_be_enabled()
        page.screenshot(path=str(screenshots_dir / "dashboard-tickets.png"))

        page.get_by_role("tab", name="Analytics").click()
        expect(page).to_have_url(re.compile(r"/admin/analytics"))
        for title in ("Open tickets", "New today", "First response (median)", "Resolution (median)", "Resolved share"):
            card = page.get_by_role("region", name=title, exact=True)
            expect(card).to_be_visible()
            expect(card.get_by_label(f"Loading {title}")).to_have_count(0)
        open_card = page.get_by_role("region", name="Open tickets", exact=True)
        expect(open_card.get_by_text(str(open_now), exact=True)).to_be_visible()
        expect(page.get_by_role("region", name="Resolved share", exact=True)).to_contain_text("%")

        for chart in ("Tickets per day", "First response time per week", "Resolution time per week"):
            region = page.get_by_role("region", name=chart, exact=True)
            expect(region.locator(".recharts-surface").first).to_be_visible()
            expect(region.get_by_text("No tickets in this range.")).to_have_count(0)
        expect(page.locator(".recharts-bar-rectangle").first).to_be_attached()
        page.screenshot(path=str(screenshots_dir / "dashboard-analytics.png"), full_page=True)

        # Drill down through the accessible table view of the tickets-per-day chart.
        per_day = page.get_by_role("region", name="Tickets per day", exact=True)
        per_day.get_by_text("Table view").click()
        per_day.get_by_role("button", name=re.compile(r"^List tickets created on ")).last.click()
        drilldown = page.get_by_role("region").filter(has=page.get_by_role("button", name="Close ticket list"))
        expect(drilldown.get_by_role("link", name=re.compile(r"^#\d+ ")).first).to_be_visible()

        violations = axe_violations(page.main_frame)
        assert violations == [], "/admin/analytics"
    finally:
        context.close()


def _jwt_payloads(text: str) -> list[dict[str, Any]]:
    payloads = []
    for match in re.finditer(r"eyJ[\w-]{5,}\.(eyJ[\w-]+)\.[\w-]+", text):
        part = match.group(1)
        try:
            payloads.append(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))))
        except (binascii.Error, ValueError):
            payloads.append({"undecodable": part})
    return payloads


def test_bundle_has_no_service_key(built_frontend: Path, server: RunningServer, data_dir: Path) -> None:
    """No service key, JWT secret or any embedded key ships in the built frontend (keys are read at
    runtime from /supadesk-config.json; the loader's refusal of a "service_role" key is code, not a key)."""
    files = [
        p for p in built_frontend.rglob("*") if p.is_file() and p.suffix in (".js", ".html", ".json", ".css", ".map")
    ]
    assert any(p.name == "widget.js" for p in files) and any(p.suffix == ".js" for p in files)
    joined = "\n".join(p.read_text(errors="ignore") for p in files)
    secret = (data_dir / "jwt_secret").read_text().strip()
    assert secret and secret not in joined
    assert server.service_role_key not in joined
    assert server.anon_key not in joined  # the anon key too is read at runtime
    assert _jwt_payloads(joined) == []  # no token of any role (service_role included) is embedded
    assert re.search(r"sb_secret_[A-Za-z0-9_-]{8,}", joined) is None
