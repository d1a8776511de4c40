"""Writes through the other surfaces reach a subscribed visitor: an agent's insert through
`/rest/v1` and a reply through the add-message edge function, all with real sign-ins."""

from __future__ import annotations

import uuid
from typing import Any, cast

import asyncpg
from tests.conftest import RunningServer
from tests.realtime.rt_people import anonymous_visitor, close, first_row, password_agent, subscribe


async def test_agent_insert_through_rest_reaches_the_subscribed_visitor(
    rt_server: RunningServer, db: asyncpg.Connection
) -> None:
    visitor = await anonymous_visitor(rt_server)
    agent = await password_agent(rt_server, db)
    sub = await subscribe(visitor.client, "rest-write", event="INSERT", filter=f"ticket_id=eq.{visitor.ticket_id}")
    inserted = await (
        agent.client.table("messages")
        .insert(
            {"ticket_id": visitor.ticket_id, "sender_type": "admin", "sender_id": agent.user_id, "content": "via REST"}
        )
        .execute()
    )
    message_id = str(first_row(inserted.data)["id"])
    assert await sub.changes.until(lambda items: any(str(d["record"]["id"]) == message_id for d in items))
    data = next(d for d in sub.changes.items if str(d["record"]["id"]) == message_id)
    assert data["record"]["content"] == "via REST" and data["record"]["sender_type"] == "admin"
    assert data["errors"] is None
    await close(visitor, agent)


async def test_reply_through_the_add_message_function_reaches_the_subscribed_visitor(
    rt_server: RunningServer, db: asyncpg.Connection
) -> None:
    visitor = await anonymous_visitor(rt_server)
    agent = await password_agent(rt_server, db)
    sub = await subscribe(visitor.client, "fn-write", event="INSERT", filter=f"ticket_id=eq.{visitor.ticket_id}")
    body = {"ticket_id": visitor.ticket_id, "content": "via add-message", "client_id": str(uuid.uuid4())}
    result = await agent.client.functions.invoke("add-message", invoke_options={"body": body, "responseType": "json"})
    message_id = str(cast(dict[str, Any], result)["message"]["id"])
    assert await sub.changes.until(lambda items: any(str(d["record"]["id"]) == message_id for d in items))
    data = next(d for d in sub.changes.items if str(d["record"]["id"]) == message_id)
    assert data["record"]["content"] == "via add-message" and data["record"]["sender_id"] == agent.user_id
    await close(visitor, agent)
