"""postgres_changes through supabase-py's async realtime client: RLS per subscriber, filters,
UPDATE/DELETE payloads, ordering under a burst, and catch-up by cursor after a cut connection."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
from rt_support import Visitor, agent_message, make_agent, make_visitor, visitor_message, wait_for
from supabase import AsyncClient, acreate_client

from supadesk.keys import ProjectKeys


async def client_for(server: Any, token: str | None) -> AsyncClient:
    client = await acreate_client(server.api_url, server.anon_key)
    if token:
        await client.realtime.set_auth(token)
    return client


async def subscribe_messages(
    client: AsyncClient,
    name: str,
    sink: list[dict[str, Any]],
    *,
    event: str = "*",
    table: str = "messages",
    filter: str | None = None,
) -> list[Any]:
    states: list[Any] = []
    channel = client.channel(name)
    channel.on_postgres_changes(event, lambda payload: sink.append(payload["data"]), table=table, filter=filter)  # type: ignore[arg-type]
    channel.on_system(lambda payload: states.append(payload))
    await channel.subscribe(lambda status, err: states.append(status))
    assert await wait_for(lambda: any(getattr(s, "message", "") == "Subscribed to PostgreSQL" for s in states), 90)
    return states


async def test_visitor_receives_the_agents_reply(
    rt_server: Any, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    visitor = await make_visitor(db, project_keys)
    agent = await make_agent(db, project_keys)
    client = await client_for(rt_server, visitor.token)
    got: list[dict[str, Any]] = []
    await subscribe_messages(
        client, f"ticket-{visitor.ticket_id}", got, event="INSERT", filter=f"ticket_id=eq.{visitor.ticket_id}"
    )
    message_id = await agent_message(db, project_keys, agent, visitor.ticket_id, "Hello, how can I help?")
    assert await wait_for(lambda: len(got) == 1)
    data = got[0]
    assert data["type"] == "INSERT" and data["table"] == "messages" and data["schema"] == "public"
    assert data["record"]["id"] == message_id and data["record"]["content"] == "Hello, how can I help?"
    assert {"name": "created_at", "type": "timestamptz"} in data["columns"]
    assert data["commit_timestamp"].endswith("Z") and data["errors"] is None
    await client.realtime.close()


async def test_visitor_never_sees_another_visitors_rows(
    rt_server: Any, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    alice = await make_visitor(db, project_keys)
    bob = await make_visitor(db, project_keys)
    client = await client_for(rt_server, alice.token)
    everything: list[dict[str, Any]] = []
    snooping: list[dict[str, Any]] = []
    await subscribe_messages(client, "all-messages", everything)
    await subscribe_messages(client, "bobs-ticket", snooping, filter=f"ticket_id=eq.{bob.ticket_id}")
    await visitor_message(db, project_keys, bob, "bob's secret")
    await db.execute("update public.tickets set subject = 'bob renamed' where id = $1", uuid.UUID(bob.ticket_id))
    own = await visitor_message(db, project_keys, alice, "alice here")  # liveness control, sent last
    assert await wait_for(lambda: len(everything) >= 1)
    await asyncio.sleep(0.3)
    assert [d["record"]["id"] for d in everything] == [own]
    assert snooping == []
    await client.realtime.close()


async def test_agent_on_all_tickets_gets_every_change(
    rt_server: Any, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    agent = await make_agent(db, project_keys)
    visitors = [await make_visitor(db, project_keys) for _ in range(3)]
    client = await client_for(rt_server, agent.token)
    messages: list[dict[str, Any]] = []
    tickets: list[dict[str, Any]] = []
    await subscribe_messages(client, "inbox-messages", messages)
    await subscribe_messages(client, "inbox-tickets", tickets, table="tickets", event="UPDATE")
    sent = [await visitor_message(db, project_keys, v, f"from {v.user_id}") for v in visitors]
    await db.execute("update public.tickets set status = 'pending' where id = $1", uuid.UUID(visitors[0].ticket_id))
    assert await wait_for(lambda: len(messages) >= 3 and len(tickets) >= 4)
    assert [d["record"]["id"] for d in messages] == sent
    status_change = [d for d in tickets if d["record"]["status"] == "pending"]
    assert status_change and status_change[0]["old_record"]["status"] == "open"
    await client.realtime.close()


async def test_filters_and_delete_payload(rt_server: Any, db: asyncpg.Connection, project_keys: ProjectKeys) -> None:
    agent = await make_agent(db, project_keys)
    visitor = await make_visitor(db, project_keys)
    client = await client_for(rt_server, agent.token)
    pending: list[dict[str, Any]] = []
    not_open: list[dict[str, Any]] = []
    in_list: list[dict[str, Any]] = []
    deletes: list[dict[str, Any]] = []
    await subscribe_messages(client, "f-eq", pending, table="tickets", event="UPDATE", filter="status=eq.pending")
    await subscribe_messages(client, "f-neq", not_open, table="tickets", event="UPDATE", filter="status=neq.open")
    await subscribe_messages(
        client, "f-in", in_list, table="tickets", event="UPDATE", filter="priority=in.(high,urgent)"
    )
    await subscribe_messages(client, "f-del", deletes, event="DELETE", filter=f"ticket_id=eq.{visitor.ticket_id}")
    tid = uuid.UUID(visitor.ticket_id)
    await db.execute("update public.tickets set priority = 'low' where id = $1", tid)
    await db.execute("update public.tickets set priority = 'urgent' where id = $1", tid)
    await db.execute("update public.tickets set status = 'pending' where id = $1", tid)
    message_id = await visitor_message(db, project_keys, visitor, "to be deleted")
    await db.execute("delete from public.messages where id = $1", uuid.UUID(message_id))
    assert await wait_for(lambda: len(deletes) == 1)
    await asyncio.sleep(0.2)
    # the message insert also touches the ticket (last_message_at): one more UPDATE after the status change
    assert pending and {d["record"]["status"] for d in pending} == {"pending"}
    assert pending[0]["old_record"]["status"] == "open"
    assert not_open and {d["record"]["status"] for d in not_open} == {"pending"}
    assert len(in_list) >= 2 and {d["record"]["priority"] for d in in_list} == {"urgent"}
    assert in_list[0]["old_record"]["priority"] == "low"
    assert deletes[0]["old_record"] == {"id": message_id}  # RLS table: only the primary key
    await client.realtime.close()


async def test_burst_of_1000_inserts_arrives_complete_and_in_order(
    rt_server: Any, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    visitor = await make_visitor(db, project_keys)
    agent = await make_agent(db, project_keys)
    client = await client_for(rt_server, visitor.token)
    got: list[dict[str, Any]] = []
    await subscribe_messages(client, "burst", got, event="INSERT", filter=f"ticket_id=eq.{visitor.ticket_id}")
    rows = [(uuid.UUID(visitor.ticket_id), uuid.UUID(agent.user_id), f"burst {i}") for i in range(1000)]
    ids = await db.fetch(
        "insert into public.messages (ticket_id, sender_type, sender_id, content) "
        "select t, 'admin', s, c from unnest($1::uuid[], $2::uuid[], $3::text[]) as u(t, s, c) returning id",
        [r[0] for r in rows],
        [r[1] for r in rows],
        [r[2] for r in rows],
    )
    assert await wait_for(lambda: len(got) >= 1000, 30)
    assert [d["record"]["content"] for d in got] == [f"burst {i}" for i in range(1000)]
    assert [d["record"]["id"] for d in got] == [str(r["id"]) for r in ids]
    await client.realtime.close()


async def _catch_up(db: asyncpg.Connection, project_keys: ProjectKeys, visitor: Visitor, cursor: str) -> list[str]:
    """The documented cursor query, as the visitor (REST: messages?ticket_id=eq.X&created_at=gte.C&order=…)."""
    from supadesk.server.context import context_from_claims
    from supadesk.server.db import apply_scope

    async with db.transaction():
        await apply_scope(db, context_from_claims(project_keys.verify(visitor.token)))
        rows = await db.fetch(
            "select id from public.messages where ticket_id = $1 and created_at >= $2::text::timestamptz "
            "order by created_at asc, id asc",
            uuid.UUID(visitor.ticket_id),
            cursor,
        )
    return [str(r["id"]) for r in rows]


async def test_cut_connection_then_catch_up_by_cursor_misses_nothing(
    rt_server: Any, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    visitor = await make_visitor(db, project_keys)
    agent = await make_agent(db, project_keys)
    first = await client_for(rt_server, visitor.token)
    live: list[dict[str, Any]] = []
    await subscribe_messages(first, "cut", live, event="INSERT", filter=f"ticket_id=eq.{visitor.ticket_id}")
    sent: list[str] = []

    async def writer() -> None:
        for i in range(60):
            sent.append(await agent_message(db, project_keys, agent, visitor.ticket_id, f"m{i}"))
            await asyncio.sleep(0.01)

    task = asyncio.create_task(writer())
    assert await wait_for(lambda: len(live) >= 10)
    ws = first.realtime._ws_connection
    assert ws is not None
    first.realtime.auto_reconnect = False
    ws.transport.abort()  # the network drops mid-stream
    await task
    seen = {d["record"]["id"]: d["record"]["created_at"] for d in live}
    cursor = max(seen.values())
    second = await client_for(rt_server, visitor.token)
    await subscribe_messages(second, "cut", live, event="INSERT", filter=f"ticket_id=eq.{visitor.ticket_id}")
    merged: dict[str, None] = dict.fromkeys(seen)
    for message_id in await _catch_up(db, project_keys, visitor, cursor):
        merged.setdefault(message_id)
    assert list(merged) == sent  # every message exactly once, in order
    await second.realtime.close()
    await first.realtime.close()
