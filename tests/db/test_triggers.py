"""What the triggers maintain: timestamps, first response, reopen on a customer reply, and the
analytics events — exercised the way clients do it (visitors and agents through RLS)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from tests.db import builders as b
from tests.db.support import rolled_back

T0 = datetime(2001, 3, 5, 9, 0, tzinfo=UTC)


async def _setup(conn: asyncpg.Connection) -> tuple[str, str, str, str]:
    """(agent, visitor, customer, ticket) with the ticket created at T0 with its first message."""
    agent = await b.agent(conn)
    visitor, customer = await b.visitor(conn)
    ticket = await b.ticket(conn, customer, created_at=T0, updated_at=T0, last_message_at=T0)
    await b.message(conn, ticket, "customer", visitor, created_at=T0)
    return agent, visitor, customer, ticket


async def _ticket(conn: asyncpg.Connection, ticket: str) -> asyncpg.Record:
    row = await conn.fetchrow("select * from public.tickets where id = $1", ticket)
    assert row is not None
    return row


async def test_first_response_is_the_first_agent_message_only(conn: asyncpg.Connection) -> None:
    async with rolled_back(conn):
        agent, visitor, _, ticket = await _setup(conn)
        await b.claims_only(conn, visitor)
        await b.message(conn, ticket, "customer", visitor, created_at=T0 + timedelta(minutes=5))
        assert (await _ticket(conn, ticket))["first_response_at"] is None
        await b.claims_only(conn, agent)
        await b.message(conn, ticket, "admin", agent, created_at=T0 + timedelta(minutes=42))
        await b.message(conn, ticket, "admin", agent, created_at=T0 + timedelta(hours=2))
        row = await _ticket(conn, ticket)
        await b.as_superuser(conn)
        first = [e for e in await b.events(conn, ticket) if e["event_type"] == "first_response"]
    assert row["first_response_at"] == T0 + timedelta(minutes=42)
    assert len(first) == 1
    assert first[0]["actor"] == agent
    assert first[0]["data"] == {"seconds": 42 * 60}
    assert first[0]["occurred_at"] == T0 + timedelta(minutes=42)


async def test_a_customer_reply_reopens_a_resolved_ticket(conn: asyncpg.Connection) -> None:
    async with rolled_back(conn):
        agent, visitor, _, ticket = await _setup(conn)
        await b.as_agent(conn, agent)
        await conn.execute("update public.tickets set status = 'resolved' where id = $1", ticket)
        assert (await _ticket(conn, ticket))["resolved_at"] is not None
        await b.as_visitor(conn, visitor)
        await b.message(conn, ticket, "customer", visitor, content="It broke again")
        row = await _ticket(conn, ticket)
        await b.as_superuser(conn)
        log = [(e["event_type"], e["actor"], e["data"]) for e in await b.events(conn, ticket)]
    assert (row["status"], row["resolved_at"]) == ("open", None)
    assert ("status_changed", visitor, {"from": "resolved", "to": "open"}) in log
    assert ("reopened", visitor, {}) in log


async def test_agent_messages_and_pending_replies_do_not_reopen(conn: asyncpg.Connection) -> None:
    async with rolled_back(conn):
        agent, visitor, _, ticket = await _setup(conn)
        await b.as_agent(conn, agent)
        await conn.execute("update public.tickets set status = 'resolved' where id = $1", ticket)
        await b.message(conn, ticket, "admin", agent, content="Anything else?")
        resolved = (await _ticket(conn, ticket))["status"]
        await conn.execute("update public.tickets set status = 'closed' where id = $1", ticket)
        await b.as_superuser(conn)
        second = await b.ticket(conn, (await _ticket(conn, ticket))["customer_id"], status="pending")
        await b.as_visitor(conn, visitor)
        await b.message(conn, second, "customer", visitor)
        pending = (await _ticket(conn, second))["status"]
    assert (resolved, pending) == ("resolved", "pending")


async def test_last_message_at_and_updated_at_are_maintained(conn: asyncpg.Connection) -> None:
    async with rolled_back(conn):
        agent, visitor, _, ticket = await _setup(conn)
        later, earlier = T0 + timedelta(hours=3), T0 + timedelta(hours=1)
        await b.claims_only(conn, visitor)
        await b.message(conn, ticket, "customer", visitor, created_at=later)
        await b.message(conn, ticket, "customer", visitor, created_at=earlier)  # late-arriving older message
        after_messages = await _ticket(conn, ticket)
        await b.as_superuser(conn)
        await conn.execute("update public.tickets set updated_at = $2 where id = $1", ticket, T0)
        await b.as_agent(conn, agent)
        await conn.execute("update public.tickets set priority = 'high' where id = $1", ticket)
        after_update = await _ticket(conn, ticket)
        now = await conn.fetchval("select now()")
    assert after_messages["last_message_at"] == later
    assert after_update["updated_at"] == now


async def test_resolved_and_closed_stamps(conn: asyncpg.Connection) -> None:
    async with rolled_back(conn):
        agent, _, customer, ticket = await _setup(conn)
        straight_closed = await b.ticket(conn, customer)
        await b.as_agent(conn, agent)
        now = await conn.fetchval("select now()")
        await conn.execute("update public.tickets set status = 'resolved' where id = $1", ticket)
        await conn.execute("update public.tickets set status = 'closed' where id = $1", ticket)
        await conn.execute("update public.tickets set status = 'closed' where id = $1", straight_closed)
        closed = await _ticket(conn, ticket)
        direct = await _ticket(conn, straight_closed)
    assert (closed["resolved_at"], closed["closed_at"]) == (now, now)
    assert (direct["resolved_at"], direct["closed_at"]) == (now, now)


async def test_every_change_is_logged_with_its_actor(conn: asyncpg.Connection) -> None:
    async with rolled_back(conn):
        agent, visitor, customer, _ = await _setup(conn)
        await b.claims_only(conn, visitor)
        ticket = await b.ticket(conn, customer, priority="low", created_at=T0)
        await b.claims_only(conn, visitor)
        message = await b.message(conn, ticket, "customer", visitor, created_at=T0 + timedelta(seconds=1))
        await b.as_agent(conn, agent)
        for change in (
            "assignee_id = $2",
            "priority = 'urgent'",
            "status = 'pending'",
            "status = 'resolved'",
            "status = 'closed'",
        ):
            await conn.execute(
                f"update public.tickets set {change} where id = $1", *([ticket, agent] if "$2" in change else [ticket])
            )
        await b.as_superuser(conn)
        log = await b.events(conn, ticket)
        resolved_at = (await _ticket(conn, ticket))["resolved_at"]
    compact = [(e["event_type"], e["actor"], e["data"]) for e in log]
    assert compact == [
        ("ticket_created", visitor, {"priority": "low", "status": "open"}),
        ("message_created", visitor, {"message_id": message, "sender_type": "customer"}),
        ("assigned", agent, {"assignee_id": agent}),
        ("priority_changed", agent, {"from": "low", "to": "urgent"}),
        ("status_changed", agent, {"from": "open", "to": "pending"}),
        ("status_changed", agent, {"from": "pending", "to": "resolved"}),
        ("resolved", agent, {"seconds": pytest.approx((resolved_at - T0).total_seconds(), abs=1e-3)}),
        ("status_changed", agent, {"from": "resolved", "to": "closed"}),
        ("closed", agent, {}),
    ]
    assert log[0]["occurred_at"] == T0
    assert log[1]["occurred_at"] == T0 + timedelta(seconds=1)
