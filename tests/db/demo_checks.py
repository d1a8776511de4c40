"""Consistency checks of loaded demo data (each query counts the rows that break one rule)."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)

INVARIANTS = {
    "number follows created_at": """
        select count(*) from (select number, lag(number) over (order by created_at, number) as previous
                              from public.tickets) as t where number <= previous""",
    "last_message_at is the newest message": """
        select count(*) from public.tickets as t
        where t.last_message_at <> (select max(m.created_at) from public.messages as m where m.ticket_id = t.id)""",
    "first_response_at is the first agent message": """
        select count(*) from public.tickets as t
        where t.first_response_at is distinct from
              (select min(m.created_at) from public.messages as m
               where m.ticket_id = t.id and m.sender_type = 'admin')""",
    "resolved_at iff resolved or closed": """
        select count(*) from public.tickets where (resolved_at is not null) <> (status in ('resolved', 'closed'))""",
    "closed_at iff closed": "select count(*) from public.tickets where (closed_at is not null) <> (status = 'closed')",
    "updated_at is the latest change": "select count(*) from public.tickets where updated_at < last_message_at",
    "no message after closing": """
        select count(*) from public.messages as m join public.tickets as t on t.id = m.ticket_id
        where m.created_at < t.created_at or m.created_at > coalesce(t.closed_at, $1::timestamptz)""",
    "one ticket_created per ticket": """
        select count(*) from public.tickets as t
        where (select count(*) from public.analytics as a
               where a.ticket_id = t.id and a.event_type = 'ticket_created') <> 1""",
    "one message_created per message": """
        select (select count(*) from public.messages)
             - (select count(*) from public.analytics where event_type = 'message_created')""",
    "first_response event at first_response_at": """
        select count(*) from public.tickets as t
        where t.first_response_at is distinct from (select a.occurred_at from public.analytics as a
                                                    where a.ticket_id = t.id and a.event_type = 'first_response')""",
    "the last status change is the status": """
        select count(*) from public.tickets as t
        where t.status <> coalesce((select a.data ->> 'to' from public.analytics as a
                                    where a.ticket_id = t.id and a.event_type = 'status_changed'
                                    order by a.id desc limit 1), 'open')""",
    "visitors are anonymous auth users": """
        select count(*) from public.customers as c join auth.users as u on u.id = c.user_id
        where not u.is_anonymous or u.email is not null""",
    "everything within 90 days of the clock": """
        select count(*) from public.tickets
        where created_at < $1::timestamptz - interval '90 days' or created_at > $1::timestamptz""",
}


async def _count_one(conn: asyncpg.Connection, query: str) -> int:
    return int(await conn.fetchval(query, *([NOW] if "$1" in query else [])))


async def count_broken(conn: asyncpg.Connection, checks: dict[str, str]) -> dict[str, int]:
    return {name: await _count_one(conn, query) for name, query in checks.items()}
