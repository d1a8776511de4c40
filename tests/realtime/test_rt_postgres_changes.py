"""postgres_changes through supabase-py's async realtime client: RLS per subscriber, filters,
UPDATE/DELETE payloads, ordering under a burst, a backlog larger than one decode batch, and
catch-up by cursor after a cut connection."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any, cast

import asyncpg
from supabase import AsyncClient, AsyncClientOptions, acreate_client
from tests.conftest import RunningServer
from tests.realtime.rt_people import subscribe
from tests.realtime.rt_support import Visitor, agent_message, make_agent, make_visitor, visitor_message

from supadesk.keys import ProjectKeys


async def client_for(server: RunningServer, token: str) -> AsyncClient:
    """supabase-py acting with a session token (REST via the header, realtime via set_auth)."""
    options = AsyncClientOptions(headers={"Authorization": f"Bearer {token}"}, auto_refresh_token=False)
    client = await acreate_client(server.api_url, server.anon_key, options)
    await client.realtime.set_auth(token)
    return client


async def test_visitor_receives_the_agents_reply(
    rt_server: RunningServer, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    visitor = await make_visitor(db, project_keys)
    agent = await make_agent(db, project_keys)
    client = await client_for(rt_server, visitor.token)
    sub = await subscribe(
        client, f"ticket-{visitor.ticket_id}", event="INSERT", filter=f"ticket_id=eq.{visitor.ticket_id}"
    )
    message_id = await agent_message(db, project_keys, agent, visitor.ticket_id, "Hello, how can I help?")
    assert await sub.changes.count(1)
    data = sub.changes.items[0]
    assert data["type"] == "INSERT" and data["table"] == "messages" and data["schema"] == "public"
    assert data["record"]["id"] == message_id and data["record"]["content"] == "Hello, how can I help?"
    assert {"name": "created_at", "type": "timestamptz"} in data["columns"]
    assert data["commit_timestamp"].endswith("Z") and data["errors"] is None
    await client.realtime.close()


async def test_visitor_never_sees_another_visitors_rows(
    rt_server: RunningServer, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    alice = await make_visitor(db, project_keys)
    bob = await make_visitor(db, project_keys)
    client = await client_for(rt_server, alice.token)
    everything = await subscribe(client, "all-messages")
    snooping = await subscribe(client, "bobs-ticket", filter=f"ticket_id=eq.{bob.ticket_id}")
    await visitor_message(db, project_keys, bob, "bob's secret")
    await db.execute("update public.tickets set subject = 'bob renamed' where id = $1", uuid.UUID(bob.ticket_id))
    own = await visitor_message(db, project_keys, alice, "alice here")  # committed last
    # Changes reach a subscriber in commit order: once alice's own row is there, bob's would be too.
    assert await everything.changes.count(1)
    assert everything.ids() == [own]
    assert snooping.changes.items == []
    await client.realtime.close()


async def test_agent_on_all_tickets_gets_every_change(
    rt_server: RunningServer, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    agent = await make_agent(db, project_keys)
    visitors = [await make_visitor(db, project_keys) for _ in range(3)]
    client = await client_for(rt_server, agent.token)
    messages = await subscribe(client, "inbox-messages")
    tickets = await subscribe(client, "inbox-tickets", table="tickets", event="UPDATE")
    sent = [await visitor_message(db, project_keys, v, f"from {v.user_id}") for v in visitors]
    await db.execute("update public.tickets set status = 'pending' where id = $1", uuid.UUID(visitors[0].ticket_id))
    assert await messages.changes.count(3)
    assert await tickets.changes.until(lambda items: any(d["record"]["status"] == "pending" for d in items))
    assert messages.ids() == sent
    status_change = [d for d in tickets.changes.items if d["record"]["status"] == "pending"]
    assert status_change[0]["old_record"]["status"] == "open"
    await client.realtime.close()


async def test_filters_and_delete_payload(
    rt_server: RunningServer, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    agent = await make_agent(db, project_keys)
    visitor = await make_visitor(db, project_keys)
    client = await client_for(rt_server, agent.token)
    pending = await subscribe(client, "f-eq", table="tickets", event="UPDATE", filter="status=eq.pending")
    not_open = await subscribe(client, "f-neq", table="tickets", event="UPDATE", filter="status=neq.open")
    in_list = await subscribe(client, "f-in", table="tickets", event="UPDATE", filter="priority=in.(high,urgent)")
    deletes = await subscribe(client, "f-del", event="DELETE", filter=f"ticket_id=eq.{visitor.ticket_id}")
    everything = await subscribe(client, "f-all", table="tickets", event="UPDATE")
    tid = uuid.UUID(visitor.ticket_id)
    await db.execute("update public.tickets set priority = 'low' where id = $1", tid)
    await db.execute("update public.tickets set priority = 'urgent' where id = $1", tid)
    await db.execute("update public.tickets set status = 'pending' where id = $1", tid)
    message_id = await visitor_message(db, project_keys, visitor, "to be deleted")
    await db.execute("delete from public.messages where id = $1", uuid.UUID(message_id))
    await db.execute("update public.tickets set subject = 'last' where id = $1", tid)  # committed last
    assert await deletes.changes.count(1)
    assert await everything.changes.until(lambda items: any(d["record"]["subject"] == "last" for d in items))
    # Each channel is one socket's queue in commit order: the last update has reached all of them.
    assert pending.changes.items and {d["record"]["status"] for d in pending.changes.items} == {"pending"}
    assert pending.changes.items[0]["old_record"]["status"] == "open"
    assert not_open.changes.items and {d["record"]["status"] for d in not_open.changes.items} == {"pending"}
    assert len(in_list.changes.items) >= 2 and {d["record"]["priority"] for d in in_list.changes.items} == {"urgent"}
    assert in_list.changes.items[0]["old_record"]["priority"] == "low"
    assert deletes.changes.items[0]["old_record"] == {"id": message_id}  # RLS table: only the primary key
    await client.realtime.close()


async def test_burst_of_1000_inserts_arrives_complete_and_in_order(
    rt_server: RunningServer, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    visitor = await make_visitor(db, project_keys)
    agent = await make_agent(db, project_keys)
    client = await client_for(rt_server, visitor.token)
    sub = await subscribe(client, "burst", event="INSERT", filter=f"ticket_id=eq.{visitor.ticket_id}")
    ids = await db.fetch(
        "insert into public.messages (ticket_id, sender_type, sender_id, content) "
        "select $1, 'admin', $2, 'burst ' || i from generate_series(0, 999) as i returning id",
        uuid.UUID(visitor.ticket_id),
        uuid.UUID(agent.user_id),
    )
    assert await sub.changes.count(1000)
    assert [d["record"]["content"] for d in sub.changes.items] == [f"burst {i}" for i in range(1000)]
    assert sub.ids() == [str(r["id"]) for r in ids]
    await client.realtime.close()


async def test_a_backlog_of_many_transactions_is_drained_without_further_writes(
    capture_server: RunningServer, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    """300 transactions committed back to back are many batches (the suite's servers take 64
    messages at a time); the last one arrives although nothing is written after it."""
    visitor = await make_visitor(db, project_keys)
    agent = await make_agent(db, project_keys)
    client = await client_for(capture_server, visitor.token)
    sub = await subscribe(client, "backlog", event="INSERT", filter=f"ticket_id=eq.{visitor.ticket_id}")
    await db.execute(
        "select set_config('rt_test.ticket', $1, false), set_config('rt_test.agent', $2, false)",
        visitor.ticket_id,
        agent.user_id,
    )
    await db.execute(
        """
        do $$
        begin
          for i in 0..299 loop
            insert into public.messages (ticket_id, sender_type, sender_id, content)
            values (
              current_setting('rt_test.ticket')::uuid, 'admin', current_setting('rt_test.agent')::uuid, 'tx ' || i
            );
            commit;
          end loop;
        end
        $$
        """
    )
    assert await sub.changes.count(300), len(sub.changes.items)
    assert [d["record"]["content"] for d in sub.changes.items] == [f"tx {i}" for i in range(300)]
    await client.realtime.close()


async def catch_up(client: AsyncClient, ticket_id: str, cursor: str) -> list[dict[str, Any]]:
    """The documented cursor query through /rest/v1 with the official client:
    messages?ticket_id=eq.X&created_at=gte.<cursor>&order=created_at.asc,id.asc"""
    response = await (
        client.table("messages")
        .select("id,created_at")
        .eq("ticket_id", ticket_id)
        .gte("created_at", cursor)
        .order("created_at")
        .order("id")
        .execute()
    )
    return cast(list[dict[str, Any]], response.data)


async def test_cut_connection_then_catch_up_by_cursor_misses_nothing(
    rt_server: RunningServer, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    visitor: Visitor = await make_visitor(db, project_keys)
    agent = await make_agent(db, project_keys)
    first = await client_for(rt_server, visitor.token)
    live = await subscribe(first, "cut", event="INSERT", filter=f"ticket_id=eq.{visitor.ticket_id}")
    sent: list[str] = []

    async def writer() -> None:
        for i in range(60):
            sent.append(await agent_message(db, project_keys, agent, visitor.ticket_id, f"m{i}"))
            await asyncio.sleep(0.01)  # paces the writes so the cut falls mid-stream

    task = asyncio.create_task(writer())
    assert await live.changes.count(10)
    ws = first.realtime._ws_connection
    assert ws is not None
    first.realtime.auto_reconnect = False
    ws.transport.abort()  # the network drops mid-stream
    await task
    seen = {d["record"]["id"]: d["record"]["created_at"] for d in live.changes.items}
    cursor = max(seen.values())
    second = await client_for(rt_server, visitor.token)
    await subscribe(second, "cut", event="INSERT", filter=f"ticket_id=eq.{visitor.ticket_id}")  # subscribe first
    merged: dict[str, None] = dict.fromkeys(seen)
    for row in await catch_up(second, visitor.ticket_id, cursor):
        merged.setdefault(str(row["id"]))
    assert list(merged) == sent  # every message exactly once, in order
    await second.realtime.close()
    await first.realtime.close()
