"""People signed in through the real `/auth/v1` with supabase-py, and their subscriptions.

A visitor signs in anonymously and opens a ticket with `rpc('create_ticket')`, as the widget
does; an agent is created with `supadesk.accounts.create_agent` and signs in with a password.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, cast

import asyncpg
from supabase import AsyncClient, AsyncClientOptions, acreate_client
from tests.conftest import RunningServer
from tests.realtime.rt_support import Inbox

from realtime import AsyncRealtimeChannel, RealtimeChannelOptions
from supadesk.accounts import create_agent

SUBSCRIBED_TO_POSTGRES = "Subscribed to PostgreSQL"


@dataclass
class Person:
    client: AsyncClient
    user_id: str
    token: str
    ticket_id: str = ""
    opening_message_id: str = ""  # create_ticket's first message: committed before any subscription


async def new_client(server: RunningServer) -> AsyncClient:
    options = AsyncClientOptions(auto_refresh_token=False, persist_session=False, function_client_timeout=60)
    return await acreate_client(server.api_url, server.anon_key, options)


async def _signed_in(client: AsyncClient, session: Any) -> tuple[str, str]:
    assert session is not None
    # The client's auth listener passes the token to realtime too, but in a background task:
    # awaiting it here makes the order certain.
    await client.realtime.set_auth(session.access_token)
    return str(session.user.id), str(session.access_token)


async def anonymous_visitor(server: RunningServer) -> Person:
    client = await new_client(server)
    user_id, token = await _signed_in(client, (await client.auth.sign_in_anonymously()).session)
    opened = await client.rpc(
        "create_ticket",
        {"subject": "Help", "message": "Hello?", "email": f"v{uuid.uuid4().hex[:10]}@example.com"},
    ).execute()
    result = cast(dict[str, Any], opened.data)
    return Person(client, user_id, token, str(result["ticket"]["id"]), str(result["message"]["id"]))


async def password_agent(server: RunningServer, db: asyncpg.Connection) -> Person:
    email, password = f"agent-{uuid.uuid4().hex[:10]}@example.com", "correct-horse-battery"
    await create_agent(db, email, password, "Agent")
    client = await new_client(server)
    session = (await client.auth.sign_in_with_password({"email": email, "password": password})).session
    user_id, token = await _signed_in(client, session)
    return Person(client, user_id, token)


@dataclass
class Subscription:
    channel: AsyncRealtimeChannel
    changes: Inbox[dict[str, Any]]  # the `data` of each postgres_changes push
    events: Inbox[Any]  # (status, error text) tuples and `system` payloads, in arrival order

    def ids(self, but: str = "") -> list[str]:
        """Ids of the rows delivered, in order; `but` leaves one out (a row committed just before
        the join, which may arrive or not)."""
        return [str(d["record"]["id"]) for d in self.changes.items if str(d["record"]["id"]) != but]

    def subscribed_to_postgres(self) -> int:
        return sum(1 for e in self.events.items if getattr(e, "message", "") == SUBSCRIBED_TO_POSTGRES)

    def statuses(self) -> list[str]:
        return [e[0] for e in self.events.items if isinstance(e, tuple)]


async def subscribe(
    client: AsyncClient,
    name: str,
    *,
    event: str = "*",
    table: str = "messages",
    filter: str | None = None,
) -> Subscription:
    """A postgres_changes channel, returned once the server said "Subscribed to PostgreSQL"."""
    channel = client.channel(name)
    sub = Subscription(channel, Inbox(), Inbox())
    channel.on_postgres_changes(event, lambda p: sub.changes.add(p["data"]), table=table, filter=filter)  # type: ignore[arg-type]
    channel.on_system(sub.events.add)
    await channel.subscribe(lambda status, err: sub.events.add((status.value, str(err) if err else None)))
    assert await sub.events.until(lambda _: sub.subscribed_to_postgres() >= 1), sub.events.items
    return sub


def first_row(data: Any) -> dict[str, Any]:
    """The first row of a PostgREST response body (typed as any JSON by the client)."""
    return cast(list[dict[str, Any]], data)[0]


def channel_options(config: dict[str, Any]) -> RealtimeChannelOptions:
    return cast(RealtimeChannelOptions, {"config": config})


async def close(*people: Person | AsyncClient) -> None:
    for who in people:
        client = who.client if isinstance(who, Person) else who
        await client.realtime.close()
