"""`supadesk db seed demo --api-url URL --service-key KEY`: the same demo batch for a deployed project
whose database is out of reach, through its API with supabase-py and the service role key.

Staff and visitors are created with `auth.admin.create_user` (visitors get a placeholder address,
since GoTrue's admin API cannot create anonymous users; their contact email stays in `customers`),
rows are inserted through the Data API, and every ticket's story is replayed in order — so here the
real triggers run and write the analytics. Two things differ from the direct load: the service role
has no user, so the events have no actor; and the triggers stamp status changes with the time of
seeding — `resolved_at`/`closed_at` are put back to the story's times afterwards (the dashboard's
metrics read those columns), the events' `occurred_at` stay as written.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Any, cast

import httpx
from postgrest import APIError
from postgrest.types import ReturnMethod
from supabase import AsyncClient, acreate_client
from supabase_auth.errors import AuthApiError

from supadesk.database import demo_rows as rows
from supadesk.database.demo import DEMO_PASSWORD, STAFF, DemoResult, resolve_anchor
from supadesk.database.demo_plan import DAY, MSG, DemoPlanner, Staff, TicketPlan, Visitor, batch_marker, staff_id
from supadesk.database.errors import DatabaseError

CONCURRENCY = 8  # tickets replayed at once
BATCH = 500  # rows per insert request


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _record(columns: tuple[str, ...], row: rows.Row) -> dict[str, Any]:
    return {c: _json(v) for c, v in zip(columns, row, strict=True)}


async def seed_through_api(
    api_url: str, service_key: str, *, tickets: int = 600, seed: int = 42, now: datetime | None = None
) -> DemoResult:
    anchor = resolve_anchor(now)
    result = DemoResult(seed, rows.ts(anchor), trigger_bypass="through the API: the project's triggers ran")
    started = time.perf_counter()
    try:
        client = await acreate_client(api_url, service_key)
        marker = await client.table("customers").select("id").eq("user_id", str(batch_marker(seed))).execute()
        if marker.data:
            result.already_loaded = True
            return result
        staff = await _ensure_staff(client, anchor, result)
        batch = DemoPlanner(seed=seed, tickets=tickets, anchor=anchor, staff=staff).next_batch(tickets)
        await _create_visitors(client, [visitor for _, visitor in batch if visitor is not None])
        await _insert(client, "tickets", [_new_ticket(plan) for plan, _ in batch])
        gate = asyncio.Semaphore(CONCURRENCY)
        await asyncio.gather(*(_replay(client, plan, gate) for plan, _ in batch))
        _count(batch, result)
        await asyncio.gather(*(_restore_times(client, plan, gate) for plan, _ in batch))
    except (AuthApiError, APIError, httpx.HTTPError) as exc:
        raise DatabaseError(f"seeding through {api_url} failed: {getattr(exc, 'message', None) or exc}") from exc
    result.seconds = time.perf_counter() - started
    return result


async def _ensure_staff(client: AsyncClient, anchor: int, result: DemoResult) -> list[Staff]:
    staff: list[Staff] = []
    found = cast(list[dict[str, str]], (await client.table("users").select("id, email").execute()).data)
    profiles = {r["email"]: r["id"] for r in found}
    since = rows.ts(anchor - 120 * DAY).isoformat()
    for email, name, role, weight in STAFF:
        user_id = profiles.get(email)
        if user_id is None:
            user_id = await _create_staff_user(client, email, name)
            if user_id == str(staff_id(email)):
                result.staff_created.append(email)
            profile = {"id": user_id, "email": email, "display_name": name, "role": role, "created_at": since}
            await client.table("users").insert(profile, returning=ReturnMethod.minimal).execute()
        staff.append(Staff(user_id, email, name, role, weight))
    return staff


async def _create_staff_user(client: AsyncClient, email: str, name: str) -> str:
    """The account's id: created now, or found when the email already has an account."""
    try:
        created = await client.auth.admin.create_user(
            {
                "id": str(staff_id(email)),
                "email": email,
                "password": DEMO_PASSWORD,
                "email_confirm": True,
                "user_metadata": {"display_name": name},
            }
        )
        return created.user.id
    except AuthApiError as exc:
        if exc.code not in ("email_exists", "user_already_exists"):
            raise
    page = 1
    while users := await client.auth.admin.list_users(page=page, per_page=200):
        for user in users:
            if (user.email or "").lower() == email:
                return user.id
        page += 1
    raise DatabaseError(f"{email} exists but could not be found through the admin API")


async def _create_visitors(client: AsyncClient, visitors: list[Visitor]) -> None:
    gate = asyncio.Semaphore(CONCURRENCY)

    async def create(visitor: Visitor) -> None:
        async with gate:
            await client.auth.admin.create_user(
                {
                    "id": str(visitor.user_id),
                    "email": f"visitor-{visitor.user_id}@demo.invalid",
                    "email_confirm": True,
                    "app_metadata": {"demo": True},
                }
            )

    await asyncio.gather(*(create(v) for v in visitors))
    await _insert(client, "customers", [_record(rows.CUSTOMER_COLUMNS, rows.visitor_rows(v)[1]) for v in visitors])


def _new_ticket(plan: TicketPlan) -> dict[str, Any]:
    created = rows.ts(plan.created).isoformat()
    return {
        "id": str(plan.id),
        "customer_id": str(plan.visitor.customer_id),
        "subject": plan.subject,
        "priority": plan.priority,
        "created_at": created,
        "updated_at": created,
        "last_message_at": created,
    }


async def _insert(client: AsyncClient, table: str, records: list[dict[str, Any]]) -> None:
    for start in range(0, len(records), BATCH):  # in order: tickets get their numbers oldest first
        await client.table(table).insert(records[start : start + BATCH], returning=ReturnMethod.minimal).execute()


async def _replay(client: AsyncClient, plan: TicketPlan, gate: asyncio.Semaphore) -> None:
    """The ticket's actions in order: runs of messages as one insert, each update as one PATCH."""
    async with gate:
        messages: list[dict[str, Any]] = []
        for action in plan.actions:
            if action[1] == MSG:
                t, _, sender_type, sender_id, content, message_id, client_id = action
                row = (message_id, plan.id, sender_type, sender_id, content, client_id, rows.ts(t))
                messages.append(_record(rows.MESSAGE_COLUMNS, row))
                continue
            await _insert(client, "messages", messages)
            messages = []
            _, _, _, column, value = action
            await client.table("tickets").update({column: _json(value)}).eq("id", str(plan.id)).execute()
        await _insert(client, "messages", messages)


async def _restore_times(client: AsyncClient, plan: TicketPlan, gate: asyncio.Semaphore) -> None:
    ticket = dict(zip(rows.TICKET_COLUMNS, rows.ticket_rows(plan, [], []), strict=True))
    if ticket["resolved_at"] is None and ticket["closed_at"] is None:
        return
    times = {"resolved_at": _json(ticket["resolved_at"]), "closed_at": _json(ticket["closed_at"])}
    async with gate:
        await client.table("tickets").update(times).eq("id", str(plan.id)).execute()


def _count(batch: list[tuple[TicketPlan, Visitor | None]], result: DemoResult) -> None:
    messages: list[rows.Row] = []
    events: list[rows.Row] = []
    statuses: dict[str, int] = {}
    for plan, _ in batch:
        status = rows.ticket_rows(plan, messages, events)[3]
        statuses[status] = statuses.get(status, 0) + 1
    new_visitors = sum(1 for _, visitor in batch if visitor is not None)
    result.counts = {
        "users": new_visitors,
        "customers": new_visitors,
        "tickets": len(batch),
        "messages": len(messages),
        "analytics": len(events),
    }
    result.statuses = statuses
