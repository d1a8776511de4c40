"""Rows for database tests, inserted as the superuser inside the test's rolled-back transaction
(triggers on, so analytics are written as in production)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import asyncpg
from tests.db.support import act_as, claims_for


async def agent(conn: asyncpg.Connection, role: str = "agent") -> str:
    user_id = str(uuid.uuid4())
    email = f"sd-fd-{user_id[:8]}@example.com"
    await conn.execute(
        "insert into auth.users (id, aud, role, email, is_anonymous, created_at, updated_at)"
        " values ($1, 'authenticated', 'authenticated', $2, false, now(), now())",
        user_id,
        email,
    )
    await conn.execute(
        "insert into public.users (id, email, display_name, role) values ($1, $2, 'Test Agent', $3)",
        user_id,
        email,
        role,
    )
    return user_id


async def visitor(conn: asyncpg.Connection) -> tuple[str, str]:
    """An anonymous auth user and its customers row: (user id, customer id)."""
    user_id = str(uuid.uuid4())
    await conn.execute(
        "insert into auth.users (id, aud, role, is_anonymous, created_at, updated_at)"
        " values ($1, 'authenticated', 'authenticated', true, now(), now())",
        user_id,
    )
    customer_id = await conn.fetchval(
        "insert into public.customers (user_id, email, name) values ($1, 'visitor@example.com', 'Visitor')"
        " returning id",
        user_id,
    )
    return user_id, str(customer_id)


async def ticket(conn: asyncpg.Connection, customer_id: str, **columns: Any) -> str:
    values = {"customer_id": customer_id, "subject": "Printer on fire", **columns}
    names = ", ".join(values)
    params = ", ".join(f"${n}" for n in range(1, len(values) + 1))
    return str(
        await conn.fetchval(f"insert into public.tickets ({names}) values ({params}) returning id", *values.values())
    )


async def message(
    conn: asyncpg.Connection, ticket_id: str, sender_type: str, sender_id: str | None, **columns: Any
) -> str:
    values = {"ticket_id": ticket_id, "sender_type": sender_type, "sender_id": sender_id, "content": "Hello", **columns}
    names = ", ".join(values)
    params = ", ".join(f"${n}" for n in range(1, len(values) + 1))
    return str(
        await conn.fetchval(f"insert into public.messages ({names}) values ({params}) returning id", *values.values())
    )


async def as_visitor(conn: asyncpg.Connection, user_id: str) -> None:
    await act_as(conn, claims_for("authenticated", user_id, anonymous=True), method="POST")


async def as_agent(conn: asyncpg.Connection, user_id: str) -> None:
    await act_as(conn, claims_for("authenticated", user_id, email="agent@example.com"), method="PATCH")


async def as_superuser(conn: asyncpg.Connection) -> None:
    """Back to the session user (allowed: the session user is the superuser)."""
    await conn.execute("set local role postgres")


async def events(conn: asyncpg.Connection, ticket_id: str) -> list[dict[str, Any]]:
    """The ticket's analytics events in the order they were written."""
    rows = await conn.fetch(
        "select event_type, actor_id::text as actor, data, occurred_at from public.analytics"
        " where ticket_id = $1 order by id",
        ticket_id,
    )
    return [{**dict(r), "data": json.loads(r["data"])} for r in rows]


async def claims_only(conn: asyncpg.Connection, user_id: str) -> None:
    """Stay the superuser (to write columns clients may not, such as created_at) but let the triggers
    see `user_id` as auth.uid(), as they would for that user's request."""
    await conn.execute("set local role postgres")
    await conn.execute("select set_config('request.jwt.claims', $1, true)", json.dumps({"sub": user_id}))
