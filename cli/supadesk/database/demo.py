"""`supadesk db seed demo`: 90 days of realistic, deterministic helpdesk data, bulk-loaded with COPY.

- Deterministic: the same `seed` (and clock) gives the same rows, ids included. The clock is the
  current minute, or SUPADESK_DEMO_NOW (ISO 8601) to pin it.
- Batches: a seed's data is loaded once. Running again with the same seed changes nothing and says
  so (exit 0, so `make run` can always call it); another seed adds a batch (same staff accounts,
  new visitors and tickets, numbers continuing after the existing ones).
- Fast: one transaction; rows are planned (`demo_plan`, `demo_rows`) in a worker thread while the
  previous chunk is copied (asyncpg `copy_records_to_table`). The triggers are off during the load
  and `demo_rows` writes what they would have; large loads rebuild keys and indexes after the copy
  (`demo_bulk`, which also explains the non-superuser case). `demo_api` seeds through the API.
- The demo admin is admin@supadesk.local / supadesk-demo; the agents share the password."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from supadesk.accounts import hash_password
from supadesk.database import demo_bulk as bulk
from supadesk.database import demo_rows as rows
from supadesk.database.demo_plan import DAY, DemoPlanner, Staff, batch_marker, staff_id
from supadesk.database.errors import DatabaseError
from supadesk.database.migrate import connect

DEMO_PASSWORD = "supadesk-demo"
ADMIN_EMAIL = "admin@supadesk.local"
# email, display name, role, share of the tickets
STAFF = (
    (ADMIN_EMAIL, "Demo Admin", "admin", 0.0),
    ("maya.chen@supadesk.local", "Maya Chen", "agent", 0.26),
    ("jonas.weber@supadesk.local", "Jonas Weber", "agent", 0.22),
    ("priya.raman@supadesk.local", "Priya Raman", "agent", 0.2),
    ("lucas.moreau@supadesk.local", "Lucas Moreau", "agent", 0.17),
    ("amara.okafor@supadesk.local", "Amara Okafor", "agent", 0.15),
)
CHUNK_TICKETS = 2_000
PROGRESS_FROM = 5_000  # tickets; smaller loads finish before a bar would help
TABLES = ("auth.users", "public.customers", "public.tickets", "public.messages", "public.analytics")


@dataclass
class DemoResult:
    seed: int
    anchor: datetime
    already_loaded: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # users, customers, tickets, messages, analytics
    statuses: dict[str, int] = field(default_factory=dict)
    staff_created: list[str] = field(default_factory=list)
    seconds: float = 0.0
    trigger_bypass: str = ""
    phases: dict[str, float] = field(default_factory=dict)  # seconds: copy, indexes, commit, analyze

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        if self.already_loaded:
            return (
                f"Demo data for seed {self.seed} is already loaded; nothing to do. "
                "Use another --seed to add a batch, or `supadesk db reset` to start over."
            )
        c = self.counts
        order = ("open", "pending", "resolved", "closed")
        statuses = " · ".join(f"{s} {self.statuses.get(s, 0):,}" for s in order)
        admin_note = (
            f"{ADMIN_EMAIL} / {DEMO_PASSWORD}"
            if ADMIN_EMAIL in self.staff_created
            else f"{ADMIN_EMAIL} (existing account, password unchanged)"
        )
        return "\n".join(
            (
                f"Demo data loaded: seed {self.seed}, 90 days up to {self.anchor:%Y-%m-%d %H:%M} UTC",
                f"  staff       {len(STAFF)} ({len(self.staff_created)} new)",
                f"  customers   {c.get('customers', 0):,} visitors",
                f"  tickets     {c.get('tickets', 0):,}: {statuses}",
                f"  messages    {c.get('messages', 0):,}",
                f"  analytics   {c.get('analytics', 0):,} events",
                f"  loaded      {self.rows:,} rows in {self.seconds:.1f} s ({self.rows_per_second:,.0f} rows/s; "
                f"{self.trigger_bypass})",
                f"Sign in to the dashboard as {admin_note}; the agents ({STAFF[1][0]} …) use the same password.",
            )
        )


def resolve_anchor(now: datetime | None = None) -> int:
    """The demo's clock in epoch seconds: `now`, else SUPADESK_DEMO_NOW, else this minute."""
    if now is None and (pinned := os.environ.get("SUPADESK_DEMO_NOW")):
        try:
            now = datetime.fromisoformat(pinned)
        except ValueError as exc:
            raise DatabaseError(f"SUPADESK_DEMO_NOW={pinned!r} is not an ISO 8601 timestamp") from exc
        if now.tzinfo is None:
            raise DatabaseError(f"SUPADESK_DEMO_NOW={pinned!r} needs a time zone (e.g. +00:00)")
    if now is None:
        return int(time.time()) // 60 * 60
    return int(now.timestamp())


async def seed_demo(
    url: str,
    *,
    tickets: int = 600,
    seed: int = 42,
    messages_per_ticket: float = 10.0,
    now: datetime | None = None,
    progress: bool | None = None,
) -> DemoResult:
    """Load one demo batch into the (migrated) database at `url`."""
    anchor = resolve_anchor(now)
    show = progress if progress is not None else tickets >= PROGRESS_FROM and sys.stderr.isatty()
    result = DemoResult(seed, rows.ts(anchor))
    conn = await connect(url)
    started = time.perf_counter()
    try:
        async with conn.transaction():
            await conn.execute("select pg_advisory_xact_lock(hashtext('supadesk_demo'))")
            await _check_schema(conn)
            if await conn.fetchval("select exists (select 1 from auth.users where id = $1)", batch_marker(seed)):
                result.already_loaded = True
                return result
            await _load_batch(conn, result, tickets, messages_per_ticket, anchor, show)
            committing = time.perf_counter()
        result.phases["commit"] = time.perf_counter() - committing
        with _phase(result, "analyze"):
            await conn.execute("analyze " + ", ".join(TABLES))
    except asyncpg.PostgresError as exc:
        raise DatabaseError(f"demo seed failed: {exc}") from exc
    finally:
        await conn.close()
    result.seconds = time.perf_counter() - started
    return result


@contextmanager
def _phase(result: DemoResult, name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    result.phases[name] = time.perf_counter() - started


async def _load_batch(
    conn: asyncpg.Connection, result: DemoResult, tickets: int, per_ticket: float, anchor: int, show: bool
) -> None:
    """Inside the caller's transaction: triggers off, staff, rows, indexes, triggers back on."""
    result.trigger_bypass = await bulk.bypass_triggers(conn)
    staff = await _ensure_staff(conn, anchor, result)
    planner = DemoPlanner(seed=result.seed, tickets=tickets, anchor=anchor, staff=staff, messages_per_ticket=per_ticket)
    deferred = await bulk.defer_indexes(conn, tickets)
    with _phase(result, "copy"):
        await _load(conn, planner, result, show)
    with _phase(result, "indexes"):
        await bulk.restore_indexes(conn, deferred)
    await bulk.restore_triggers(conn, result.trigger_bypass)


async def _check_schema(conn: asyncpg.Connection) -> None:
    missing = await conn.fetchval(
        "select string_agg(t, ', ') from unnest($1::text[]) as t where to_regclass(t) is null", list(TABLES)
    )
    if missing:
        raise DatabaseError(f"the database lacks {missing}; run `supadesk db migrate` first")


# An email/password account as GoTrue (and `accounts.create_user`) makes it: auth.users + identity.
_INSERT_STAFF_USER = """
insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data,
    raw_user_meta_data, is_super_admin, created_at, updated_at, is_anonymous
) values (
    '00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, $3, $5,
    '{"provider": "email", "providers": ["email"]}', $4::jsonb, false, $5, $5, false
)
"""
_INSERT_STAFF_IDENTITY = """
insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
values ($1::uuid::text, $1::uuid, $2::jsonb, 'email', $3, $3)
"""


def _identity(user_id: Any, email: str) -> dict[str, Any]:
    return {"sub": str(user_id), "email": email, "email_verified": True}


async def _ensure_staff(conn: asyncpg.Connection, anchor: int, result: DemoResult) -> list[Staff]:
    """The admin and agents: reused when their email exists, else created (password DEMO_PASSWORD)."""
    staff: list[Staff] = []
    since = rows.ts(anchor - 120 * DAY)
    password_hash: str | None = None
    for email, name, role, weight in STAFF:
        found = await conn.fetchrow(
            "select a.id, u.id is not null as has_profile from auth.users as a"
            " left join public.users as u on u.id = a.id where lower(a.email) = lower($1)",
            email,
        )
        if found is None:
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            user_id: Any = staff_id(email)
            await conn.execute(
                _INSERT_STAFF_USER, user_id, email, password_hash, json.dumps({"display_name": name}), since
            )
            await conn.execute(_INSERT_STAFF_IDENTITY, user_id, json.dumps(_identity(user_id, email)), since)
            result.staff_created.append(email)
        else:
            user_id = found["id"]
        if found is None or not found["has_profile"]:
            await conn.execute(
                "insert into public.users (id, email, display_name, role, created_at) values ($1, $2, $3, $4, $5)",
                user_id,
                email,
                name,
                role,
                since,
            )
        staff.append(Staff(user_id, email, name, role, weight))
    return staff


@dataclass
class _Chunk:
    users: list[rows.Row] = field(default_factory=list)
    customers: list[rows.Row] = field(default_factory=list)
    tickets: list[rows.Row] = field(default_factory=list)
    messages: list[rows.Row] = field(default_factory=list)
    analytics: list[rows.Row] = field(default_factory=list)


def _build_chunk(planner: DemoPlanner, size: int) -> _Chunk:
    chunk = _Chunk()
    for plan, new_visitor in planner.next_batch(size):
        if new_visitor is not None:
            user, customer = rows.visitor_rows(new_visitor)
            chunk.users.append(user)
            chunk.customers.append(customer)
        chunk.tickets.append(rows.ticket_rows(plan, chunk.messages, chunk.analytics))
    return chunk


async def _copy_chunk(conn: asyncpg.Connection, chunk: _Chunk) -> None:
    copy = conn.copy_records_to_table
    await copy("users", schema_name="auth", records=chunk.users, columns=rows.AUTH_USER_COLUMNS)
    await copy("customers", schema_name="public", records=chunk.customers, columns=rows.CUSTOMER_COLUMNS)
    await copy("tickets", schema_name="public", records=chunk.tickets, columns=rows.TICKET_COLUMNS)
    await copy("messages", schema_name="public", records=chunk.messages, columns=rows.MESSAGE_COLUMNS)
    await copy("analytics", schema_name="public", records=chunk.analytics, columns=rows.ANALYTICS_COLUMNS)


async def _load(conn: asyncpg.Connection, planner: DemoPlanner, result: DemoResult, show: bool) -> None:
    """Plan chunk k+1 in a worker thread while chunk k is copied; count as we go."""
    counts: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    loop = asyncio.get_running_loop()
    started = time.perf_counter()
    bar = Progress(
        TextColumn("seeding demo data"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("tickets"),
        TextColumn("{task.fields[rate]} rows/s"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=not show,
    )
    with bar, ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-plan") as worker:
        task = bar.add_task("seed", total=planner.total, rate="…")
        pending = loop.run_in_executor(worker, _build_chunk, planner, CHUNK_TICKETS)
        while True:
            chunk = await pending
            if not chunk.tickets:
                break
            pending = loop.run_in_executor(worker, _build_chunk, planner, CHUNK_TICKETS)
            await _copy_chunk(conn, chunk)
            for name in ("users", "customers", "tickets", "messages", "analytics"):
                counts[name] += len(getattr(chunk, name))
            statuses.update(t[3] for t in chunk.tickets)
            rate = f"{sum(counts.values()) / (time.perf_counter() - started):,.0f}"
            bar.update(task, advance=len(chunk.tickets), rate=rate)
    result.counts = dict(counts)
    result.statuses = dict(statuses)


async def seed_through_api(
    api_url: str, service_key: str, *, tickets: int = 600, seed: int = 42, now: datetime | None = None
) -> DemoResult:
    """The same demo through a deployed project's API (see `demo_api`)."""
    try:
        from supadesk.database import demo_api
    except ImportError as exc:  # supabase-py is a dev dependency
        raise DatabaseError(f"seeding through the API needs supabase-py ({exc.name} is missing)") from exc
    result: DemoResult = await demo_api.seed_through_api(api_url, service_key, tickets=tickets, seed=seed, now=now)
    return result
