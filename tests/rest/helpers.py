"""Helpers for the /rest/v1 suite: identities (visitor, agent) with minted GoTrue-like tokens,
official supabase-py clients carrying them, and direct SQL behind the API's back."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
from supabase import Client, ClientOptions, create_client
from tests.conftest import RunningServer

from supadesk.accounts import NewUser, create_user
from supadesk.keys import ProjectKeys


def sql(db_url: str, query: str, *args: Any) -> list[asyncpg.Record]:
    """Run one statement directly against the test database (as the superuser, RLS bypassed)."""

    async def run() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(db_url)
        try:
            return await conn.fetch(query, *args)
        finally:
            await conn.close()

    return asyncio.run(run())


def user_claims(user_id: uuid.UUID, *, anonymous: bool, email: str = "", lifetime: int = 3600) -> dict[str, Any]:
    """Access-token claims shaped like GoTrue's (sub, role, aud, exp, iat, session_id, is_anonymous…)."""
    now = int(time.time())
    return {
        "iss": "supadesk", "sub": str(user_id), "aud": "authenticated", "exp": now + lifetime, "iat": now,
        "email": email, "phone": "", "role": "authenticated", "aal": "aal1",
        "amr": [{"method": "anonymous" if anonymous else "password", "timestamp": now}],
        "session_id": str(uuid.uuid4()), "is_anonymous": anonymous,
        "app_metadata": {} if anonymous else {"provider": "email", "providers": ["email"]},
        "user_metadata": {},
    }


def client_for(server: RunningServer, token: str | None = None, key: str | None = None) -> Client:
    """The official client; `token` goes in Authorization as for a signed-in session."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return create_client(server.api_url, key or server.anon_key,
                         ClientOptions(headers=headers, auto_refresh_token=False, persist_session=False))


def raw(server: RunningServer, method: str, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
    """A raw HTTP request to /rest/v1 (for what the client hides or refuses to send)."""
    headers = {"apikey": server.anon_key, **({"Authorization": f"Bearer {token}"} if token else {})}
    headers.update(kwargs.pop("headers", {}))
    return httpx.request(method, f"{server.api_url}/rest/v1{path}", headers=headers, timeout=30, **kwargs)


@dataclass
class Person:
    user_id: uuid.UUID
    token: str
    client: Client
    customer_id: uuid.UUID | None = None
    tickets: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)


async def _visitor_rows(conn: asyncpg.Connection, tickets: int) -> dict[str, Any]:
    user = await create_user(conn, NewUser(None, None, {}, {}, is_anonymous=True, email_confirmed=False))
    email = f"visitor-{uuid.uuid4().hex[:10]}@example.com"
    customer = await conn.fetchval("insert into public.customers (user_id, email, name) values ($1, $2, $3) "
                                   "returning id", user["id"], email, "Visitor")
    out: dict[str, Any] = {"user_id": user["id"], "customer_id": customer, "tickets": [], "messages": [],
                           "attachments": []}
    for n in range(tickets):
        ticket = await conn.fetchval("insert into public.tickets (customer_id, subject, priority) values ($1, $2, $3) "
                                     "returning id", customer, f"Question {n}", ("low", "normal", "high")[n % 3])
        out["tickets"].append(str(ticket))
        for i in range(2):
            message = await conn.fetchval(
                "insert into public.messages (ticket_id, sender_type, sender_id, content, created_at) "
                "values ($1, 'customer', $2, $3, now() + make_interval(secs => $4)) returning id",
                ticket, user["id"], f"Message {i} about {n}", float(i))
            out["messages"].append(str(message))
    ticket = out["tickets"][0]
    obj = await conn.fetchval("insert into storage.objects (bucket_id, name, owner) values "
                              "('support-attachments', $1, $2) returning id", f"tickets/{ticket}/{uuid.uuid4()}-a.png",
                              user["id"])
    attachment = await conn.fetchval(
        "insert into public.attachments (ticket_id, message_id, object_id, object_path, file_name, mime_type, "
        "size_bytes) select $1::uuid, $2::uuid, o.id, o.name, 'a.png', 'image/png', 42 from storage.objects o "
        "where o.id = $3 returning id", uuid.UUID(ticket), uuid.UUID(out["messages"][0]), obj)
    out["attachments"].append(str(attachment))
    return out


def make_visitor(server: RunningServer, keys: ProjectKeys, tickets: int = 2) -> Person:
    async def run() -> dict[str, Any]:
        conn = await asyncpg.connect(server.db_url)
        try:
            async with conn.transaction():
                return await _visitor_rows(conn, tickets)
        finally:
            await conn.close()

    rows = asyncio.run(run())
    token = keys.sign(user_claims(rows["user_id"], anonymous=True))
    return Person(rows["user_id"], token, client_for(server, token), rows["customer_id"], rows["tickets"],
                  rows["messages"], rows["attachments"])


def make_agent(server: RunningServer, keys: ProjectKeys) -> Person:
    email = f"agent-{uuid.uuid4().hex[:10]}@example.com"

    async def run() -> uuid.UUID:
        # Not accounts.create_agent: its identity insert binds $1 as both text and uuid and fails
        # (reported); an agent is an auth user plus its public.users row.
        conn = await asyncpg.connect(server.db_url)
        try:
            async with conn.transaction():
                user = await create_user(conn, NewUser(None, None, {"display_name": "Agent Smith"}, {}))
                await conn.execute("update auth.users set email = $2 where id = $1", user["id"], email)
                await conn.execute("insert into public.users (id, email, display_name) values ($1, $2, $3)",
                                   user["id"], email, "Agent Smith")
            user_id: uuid.UUID = user["id"]
            return user_id
        finally:
            await conn.close()

    user_id = asyncio.run(run())
    token = keys.sign(user_claims(user_id, anonymous=False, email=email))
    return Person(user_id, token, client_for(server, token))
