"""Handshake, tokens and private channels through supabase-py: attack cases included."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import pytest
import websockets
from supabase import AsyncClient, acreate_client
from tests.realtime.rt_people import channel_options
from tests.realtime.rt_support import Inbox, make_agent, make_visitor, user_token

from realtime import AsyncRealtimeChannel, RealtimeAcknowledgementStatus
from supadesk.keys import ProjectKeys


async def client_for(server: Any, token: str) -> AsyncClient:
    client = await acreate_client(server.api_url, server.anon_key)
    await client.realtime.set_auth(token)
    return client


@pytest.mark.parametrize(
    ("query", "message"), [("vsn=1.0.0", "API key is missing"), ("apikey=forged.token.x&vsn=1.0.0", None)]
)
async def test_handshake_requires_a_valid_apikey(rt_server: Any, query: str, message: str | None) -> None:
    url = rt_server.api_url.replace("http", "ws") + "/realtime/v1/websocket?" + query
    with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
        async with websockets.connect(url):
            pass
    response = refused.value.response
    assert response.status_code == 401
    body = json.loads(response.body or b"{}")
    assert body["error"] == message if message else body["error"]


async def _join(client: AsyncClient, name: str, private: bool = False) -> tuple[AsyncRealtimeChannel, list[Any]]:
    channel, inbox = await _join_inbox(client, name, private)
    return channel, inbox.items


async def _join_inbox(client: AsyncClient, name: str, private: bool = False) -> tuple[AsyncRealtimeChannel, Inbox[Any]]:
    """Join; the inbox gets (status, error) tuples and system payloads. Returns after the reply."""
    states: Inbox[Any] = Inbox()
    channel = client.channel(name, channel_options({"private": private, "broadcast": {"self": False, "ack": False}}))
    channel.on_system(states.add)
    await channel.subscribe(lambda status, err: states.add((status.value, str(err) if err else None)))
    return channel, states


async def test_forged_token_cannot_join(rt_server: Any, db: asyncpg.Connection, project_keys: ProjectKeys) -> None:
    visitor = await make_visitor(db, project_keys)
    forged = ProjectKeys("not-the-project-secret-not-the-project-secret").sign(
        json.loads(json.dumps(project_keys.verify(visitor.token)))
    )
    client = await client_for(rt_server, forged)
    _, states = await _join(client, "anything")
    assert states[0][0] == "CHANNEL_ERROR" and "JwtSignatureError" in states[0][1]
    await client.realtime.close()


async def test_visitor_joins_only_their_own_ticket_channel(
    rt_server: Any, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    alice = await make_visitor(db, project_keys)
    bob = await make_visitor(db, project_keys)
    client = await client_for(rt_server, alice.token)
    _, own = await _join(client, f"ticket:{alice.ticket_id}", private=True)
    _, other = await _join(client, f"ticket:{bob.ticket_id}", private=True)
    assert own[0] == ("SUBSCRIBED", None)
    assert other[0][0] == "CHANNEL_ERROR"
    assert (
        f"Unauthorized: You do not have permissions to read from this Channel topic: ticket:{bob.ticket_id}"
        in other[0][1]
    )
    await client.realtime.close()


async def test_visitor_cannot_forge_agent_presence_broadcasts(
    rt_server: Any, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    agent, colleague = await make_agent(db, project_keys), await make_agent(db, project_keys)
    visitor = await make_visitor(db, project_keys)
    listener = await client_for(rt_server, agent.token)
    speaker = await client_for(rt_server, colleague.token)
    intruder = await client_for(rt_server, visitor.token)
    heard: Inbox[Any] = Inbox()
    channel, _ = await _join(listener, "agents:presence", private=True)
    channel.on_broadcast("status", lambda message: heard.add(message["payload"]))
    forged_channel, intruder_states = await _join(intruder, "agents:presence", private=True)
    assert intruder_states[0] == ("SUBSCRIBED", None)  # any signed-in user may listen
    await forged_channel.send_broadcast("status", {"agent": "fake", "online": False})
    # The server handles a socket's frames in order: once it answered the intruder's next push
    # (a presence track, refused to visitors), the forged broadcast was handled before it.
    refused: Inbox[Any] = Inbox()
    push = await forged_channel.push("presence", {"type": "presence", "event": "track", "payload": {"online": True}})
    push.receive(RealtimeAcknowledgementStatus.Error, refused.add)
    assert await refused.count(1)
    speaker_channel, _ = await _join(speaker, "agents:presence", private=True)
    await speaker_channel.send_broadcast("status", {"agent": "real", "online": True})
    assert await heard.count(1)
    assert heard.items == [{"agent": "real", "online": True}]
    for client in (listener, speaker, intruder):
        await client.realtime.close()


async def test_expired_token_ends_the_subscription(
    rt_server: Any, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    visitor = await make_visitor(db, project_keys)
    client = await client_for(rt_server, user_token(project_keys, visitor.user_id, anonymous=True, ttl=2))
    _, states = await _join_inbox(client, f"ticket:{visitor.ticket_id}", private=True)
    assert states.items[0] == ("SUBSCRIBED", None)

    def errors(items: list[Any]) -> list[tuple[str, str | None]]:
        return [s for s in items[1:] if isinstance(s, tuple) and s[0] in ("CHANNEL_ERROR", "CLOSED")]

    assert await states.until(lambda items: bool(errors(items)))
    first = errors(states.items)[0]
    assert first[0] == "CHANNEL_ERROR" and "Token has expired" in (first[1] or "")
    await client.realtime.close()
