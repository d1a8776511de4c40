"""Helpers for the realtime suite: users made in the database with GoTrue-like tokens, writes under
a user's role and claims, and waiting on what the clients' callbacks deliver."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import asyncpg

from supadesk.accounts import NewUser, create_user
from supadesk.keys import ProjectKeys
from supadesk.server.context import context_from_claims
from supadesk.server.db import apply_scope

T = TypeVar("T")
LIMIT_S = 60.0  # generous: the suite must hold on a loaded two-core machine


def user_token(keys: ProjectKeys, user_id: str, *, anonymous: bool, ttl: int = 3600) -> str:
    now = int(time.time())
    return keys.sign(
        {
            "sub": user_id,
            "role": "authenticated",
            "aud": "authenticated",
            "exp": now + ttl,
            "iat": now,
            "is_anonymous": anonymous,
            "session_id": str(uuid.uuid4()),
        }
    )


@dataclass
class Visitor:
    user_id: str
    customer_id: str
    ticket_id: str
    token: str


@dataclass
class Agent:
    user_id: str
    token: str


async def make_visitor(conn: asyncpg.Connection, keys: ProjectKeys) -> Visitor:
    user = await create_user(conn, NewUser(None, None, {}, {}, is_anonymous=True))
    customer = await conn.fetchval(
        "insert into public.customers (user_id, email) values ($1, $2) returning id",
        user["id"],
        f"v{uuid.uuid4().hex[:10]}@example.com",
    )
    ticket = await conn.fetchval(
        "insert into public.tickets (customer_id, subject) values ($1, 'Help') returning id", customer
    )
    return Visitor(str(user["id"]), str(customer), str(ticket), user_token(keys, str(user["id"]), anonymous=True))


async def make_agent(conn: asyncpg.Connection, keys: ProjectKeys) -> Agent:
    user = await create_user(conn, NewUser(None, None, {"display_name": "Agent"}, {}))
    await conn.execute(
        "insert into public.users (id, email, display_name, role) values ($1, $2, 'Agent', 'agent')",
        user["id"],
        f"a{uuid.uuid4().hex[:10]}@example.com",
    )
    return Agent(str(user["id"]), user_token(keys, str(user["id"]), anonymous=False))


async def insert_as(conn: asyncpg.Connection, keys: ProjectKeys, token: str, sql: str, *args: Any) -> Any:
    """Run one statement under the token's role and claims (RLS applies), like a REST write."""
    ctx = context_from_claims(keys.verify(token), method="POST", path="/rest/v1/messages")
    async with conn.transaction():
        await apply_scope(conn, ctx)
        return await conn.fetchval(sql, *args)


async def agent_message(conn: asyncpg.Connection, keys: ProjectKeys, agent: Agent, ticket_id: str, text: str) -> str:
    value = await insert_as(
        conn,
        keys,
        agent.token,
        "insert into public.messages (ticket_id, sender_type, sender_id, content) values ($1, 'admin', $2, $3) "
        "returning id",
        uuid.UUID(ticket_id),
        uuid.UUID(agent.user_id),
        text,
    )
    return str(value)


async def visitor_message(conn: asyncpg.Connection, keys: ProjectKeys, visitor: Visitor, text: str) -> str:
    value = await insert_as(
        conn,
        keys,
        visitor.token,
        "insert into public.messages (ticket_id, sender_type, sender_id, content) values ($1, 'customer', $2, $3) "
        "returning id",
        uuid.UUID(visitor.ticket_id),
        uuid.UUID(visitor.user_id),
        text,
    )
    return str(value)


class Inbox(Generic[T]):
    """What a client callback delivers, in order, with `until()` to await a condition on it.

    Callbacks of both clients' Python side run on the test's event loop, so an event wakes the
    waiter as soon as something arrives: no polling, no sleeping.
    """

    def __init__(self) -> None:
        self.items: list[T] = []
        self._arrived = asyncio.Event()

    def add(self, item: T) -> None:
        self.items.append(item)
        self._arrived.set()

    async def until(self, predicate: Callable[[list[T]], bool], limit_s: float = LIMIT_S) -> bool:
        deadline = time.monotonic() + limit_s
        while not predicate(self.items):
            self._arrived.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except TimeoutError:
                return predicate(self.items)
        return True

    async def count(self, n: int, limit_s: float = LIMIT_S) -> bool:
        return await self.until(lambda items: len(items) >= n, limit_s)
