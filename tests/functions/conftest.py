"""Fixtures for the ticket API: a rolled-back database transaction to act in as visitors and agents
(the SQL functions), and visitor/agent sessions for the edge functions behind `supadesk start`."""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from supabase import Client, ClientOptions, create_client
from tests.conftest import PG_URL, RunningServer, _drop_database, start_server, stop_server

from supadesk.accounts import NewUser, create_user, hash_password
from supadesk.config import Settings
from supadesk.database.locate import with_database
from supadesk.database.migrate import migrate
from supadesk.database.reset import recreate_database
from supadesk.keys import ProjectKeys
from supadesk.server.context import RequestContext
from supadesk.server.db import apply_scope

BUCKET = "support-attachments"


async def make_agent(conn: asyncpg.Connection, email: str | None = None) -> uuid.UUID:
    """An agent account: an auth user plus its public.users row.

    Not `accounts.create_agent`: its identity insert binds one parameter as both text and uuid and fails
    on PostgreSQL 15 (reported); the SQL API only needs the auth user and the users row.
    """
    email = email or f"agent-{uuid.uuid4().hex[:8]}@example.com"
    async with conn.transaction():
        row = await create_user(conn, NewUser(None, hash_password("password-1"), {"display_name": "Agent"}, {}))
        await conn.execute(
            "update auth.users set email = $2 where id = $1",
            row["id"],
            email,
        )
        await conn.execute(
            "insert into public.users (id, email, display_name, role) values ($1, $2, 'Agent', 'agent')",
            row["id"],
            email,
        )
    user_id: uuid.UUID = row["id"]
    return user_id


@dataclass(frozen=True)
class Person:
    """An auth user the tests act as: a visitor (anonymous session) or an agent."""

    id: uuid.UUID
    is_agent: bool = False

    def claims(self) -> dict[str, Any]:
        return {
            "sub": str(self.id),
            "role": "authenticated",
            "aud": "authenticated",
            "is_anonymous": not self.is_agent,
            "session_id": str(uuid.uuid4()),
        }


class Db:
    """One connection inside a transaction that the test never commits.

    `as_(person)` switches the role and JWT claims the way every supadesk surface does
    (`apply_scope`), `as_admin()` goes back to the superuser for setup. `fails(...)` runs a statement in a
    savepoint and returns the database error it raised.
    """

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def as_(self, person: Person | None, role: str = "authenticated") -> None:
        claims = person.claims() if person else {"role": role}
        await apply_scope(self.conn, RequestContext(role=role, claims=claims, method="POST", path="/rpc"))

    async def as_admin(self) -> None:
        await self.conn.execute(
            "reset role;"
            " select set_config('request.jwt.claims', '', true), set_config('request.jwt.claim.sub', '', true)"
        )

    async def visitor(self) -> Person:
        await self.as_admin()
        row = await create_user(self.conn, NewUser(None, None, {}, {}, is_anonymous=True))
        return Person(row["id"])

    async def agent(self) -> Person:
        await self.as_admin()
        return Person(await make_agent(self.conn), is_agent=True)

    async def call(self, person: Person | None, sql: str, *args: Any) -> Any:
        await self.as_(person)
        value = await self.conn.fetchval(sql, *args)
        return json.loads(value) if isinstance(value, str) else value

    async def fails(self, person: Person | None, sql: str, *args: Any, role: str = "authenticated") -> Any:
        await self.as_(person, role)
        with pytest.raises(asyncpg.PostgresError) as info:
            async with self.conn.transaction():
                await self.conn.fetchval(sql, *args)
        return info.value

    async def create_ticket(self, person: Person, subject: str = "Printer on fire", **extra: Any) -> dict[str, Any]:
        result: dict[str, Any] = await self.call(
            person,
            "select public.create_ticket($1, $2, $3, $4, $5)",
            subject,
            extra.get("message", "It is really on fire."),
            extra.get("email", "ann@example.com"),
            extra.get("name"),
            extra.get("client_id"),
        )
        return result

    async def upload(self, owner: Person | None, path: str, mimetype: str = "image/png", size: int = 1234) -> uuid.UUID:
        """A row as Storage writes it after an upload (owner_id = the uploader's sub)."""
        await self.as_admin()
        metadata = json.dumps({"mimetype": mimetype, "size": size, "contentLength": size})
        object_id: uuid.UUID = await self.conn.fetchval(
            "insert into storage.objects (bucket_id, name, owner_id, metadata)"
            " values ($1, $2, $3, $4::jsonb) returning id",
            BUCKET,
            path,
            str(owner.id) if owner else None,
            metadata,
        )
        return object_id


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Db]:
    conn = await asyncpg.connect(db_url)
    tx = conn.transaction()
    await tx.start()
    try:
        yield Db(conn)
    finally:
        await tx.rollback()
        await conn.close()


# ---------------------------------------------------------------------------------------------
# The edge functions behind `supadesk start`
# ---------------------------------------------------------------------------------------------

# This directory's server runs without create-ticket limits (0 = off); the limits have their own server.
NO_LIMITS = {"SUPADESK_CREATE_TICKET_LIMIT_PER_IP": "0", "SUPADESK_CREATE_TICKET_LIMIT_PER_VISITOR": "0"}
LIMITS = {
    "SUPADESK_CREATE_TICKET_LIMIT_PER_IP": "4",
    "SUPADESK_CREATE_TICKET_LIMIT_PER_VISITOR": "2",
    "SUPADESK_CREATE_TICKET_WINDOW_SECONDS": "3600",
}


@pytest.fixture(scope="session")
def server(db_url: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """`supadesk start` for the function tests (overrides the shared fixture: no create-ticket limits)."""
    running = start_server(db_url, data_dir, tmp_path_factory.mktemp("fn-server") / "server.log", env=NO_LIMITS)
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def limited_server(
    settings: Settings, data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """A second server with small create-ticket limits, on its own database (counters start at zero)."""
    url = with_database(PG_URL, f"sd_fn_limits_{os.getpid()}_{uuid.uuid4().hex[:6]}")

    async def create() -> None:
        await recreate_database(url)
        await migrate(settings, url)

    asyncio.run(create())
    running = start_server(url, data_dir, tmp_path_factory.mktemp("fn-limited") / "server.log", env=LIMITS)
    yield running
    stop_server(running)
    _drop_database(url)


@dataclass
class Actor:
    """A signed-in user of a running server: its id, access token and a supabase-py client acting as it."""

    id: uuid.UUID
    token: str
    client: Client
    api_url: str
    anon_key: str
    is_agent: bool = False

    def post(self, function: str, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
        """POST /functions/v1/<function> as this user (raw httpx: status and headers are asserted too)."""
        return httpx.post(
            f"{self.api_url}/functions/v1/{function}",
            json=body,
            headers={"apikey": self.anon_key, "Authorization": f"Bearer {self.token}", **(headers or {})},
            timeout=30,
        )


def client_for(server: RunningServer, token: str | None) -> Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    options = ClientOptions(headers=headers, auto_refresh_token=False, persist_session=False)
    return create_client(server.api_url, server.anon_key, options=options)


class People:
    """Makes visitors and agents on one server: auth users in its database and GoTrue-like tokens."""

    def __init__(self, server: RunningServer, keys: ProjectKeys) -> None:
        self.server = server
        self.keys = keys

    def token(self, user_id: uuid.UUID, *, anonymous: bool, email: str | None = None) -> str:
        now = int(time.time())
        claims = {
            "sub": str(user_id),
            "role": "authenticated",
            "aud": "authenticated",
            "iat": now,
            "exp": now + 3600,
            "is_anonymous": anonymous,
            "session_id": str(uuid.uuid4()),
            "email": email or "",
            "app_metadata": {} if anonymous else {"provider": "email", "providers": ["email"]},
            "user_metadata": {},
            "amr": [{"method": "anonymous" if anonymous else "password", "timestamp": now}],
            "aal": "aal1",
        }
        return self.keys.sign(claims)

    def _in_database(self, work: Callable[[asyncpg.Connection], Awaitable[uuid.UUID]]) -> uuid.UUID:
        async def run() -> uuid.UUID:
            conn = await asyncpg.connect(self.server.db_url)
            try:
                return await work(conn)
            finally:
                await conn.close()

        return asyncio.run(run())

    def visitor(self) -> Actor:
        """An anonymous visitor (auth user with is_anonymous, as `signInAnonymously` creates)."""

        async def create(conn: asyncpg.Connection) -> uuid.UUID:
            row = await create_user(conn, NewUser(None, None, {}, {}, is_anonymous=True))
            user_id: uuid.UUID = row["id"]
            return user_id

        user_id = self._in_database(create)
        token = self.token(user_id, anonymous=True)
        return Actor(user_id, token, client_for(self.server, token), self.server.api_url, self.server.anon_key)

    def agent(self) -> Actor:
        email = f"agent-{uuid.uuid4().hex[:8]}@example.com"
        user_id = self._in_database(lambda conn: make_agent(conn, email))
        token = self.token(user_id, anonymous=False, email=email)
        return Actor(user_id, token, client_for(self.server, token), self.server.api_url, self.server.anon_key, True)


@pytest.fixture
def people(server: RunningServer, keys: ProjectKeys) -> People:
    return People(server, keys)


@pytest.fixture
def limited_people(limited_server: RunningServer, keys: ProjectKeys) -> People:
    """People on the limited server, whose rate-limit counters start at zero for each test."""

    async def reset() -> None:
        conn = await asyncpg.connect(limited_server.db_url)
        try:
            await conn.execute("truncate private.rate_limit_counters")
        finally:
            await conn.close()

    asyncio.run(reset())
    return People(limited_server, keys)
