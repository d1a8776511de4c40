"""Storage fixtures: the running `supadesk start`, people (visitors with their ticket, an agent)
created the way the app creates them, and official supabase-py clients acting as each of them.

Access tokens are minted with the project secret and GoTrue's claims (the auth surface is tested
elsewhere); everything else goes through the real server and the unchanged clients.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from supabase import AsyncClient, AsyncClientOptions, acreate_client

from supadesk.accounts import NewUser, create_agent, create_user
from supadesk.keys import ProjectKeys

BUCKET = "support-attachments"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@dataclass
class Person:
    user_id: str
    token: str
    ticket_id: str | None = None

    def folder(self) -> str:
        assert self.ticket_id is not None
        return f"tickets/{self.ticket_id}"


def access_token(keys: ProjectKeys, user_id: str, *, anonymous: bool, ttl: int = 3600) -> str:
    now = int(time.time())
    return keys.sign(
        {
            "iss": "supadesk",
            "sub": user_id,
            "aud": "authenticated",
            "role": "authenticated",
            "iat": now,
            "exp": now + ttl,
            "is_anonymous": anonymous,
            "session_id": str(uuid.uuid4()),
            "email": "",
            "phone": "",
            "app_metadata": {},
            "user_metadata": {},
            "amr": [{"method": "anonymous" if anonymous else "password", "timestamp": now}],
        }
    )


async def new_visitor(db_url: str, keys: ProjectKeys) -> Person:
    """An anonymous visitor with a customer row and one open ticket."""
    conn = await asyncpg.connect(db_url)
    try:
        user = await create_user(
            conn, NewUser(email=None, password_hash=None, user_metadata={}, app_metadata={}, is_anonymous=True)
        )
        customer = await conn.fetchval(
            "insert into public.customers (user_id, email) values ($1, $2) returning id",
            user["id"],
            f"visitor-{uuid.uuid4().hex[:8]}@example.com",
        )
        ticket = await conn.fetchval(
            "insert into public.tickets (customer_id, subject) values ($1, 'Help with my order') returning id",
            customer,
        )
    finally:
        await conn.close()
    user_id = str(user["id"])
    return Person(user_id, access_token(keys, user_id, anonymous=True), str(ticket))


async def new_agent(db_url: str, keys: ProjectKeys) -> Person:
    conn = await asyncpg.connect(db_url)
    try:
        user_id = await create_agent(conn, f"agent-{uuid.uuid4().hex[:8]}@example.com", "agent-pass-123", "Agent")
    finally:
        await conn.close()
    return Person(str(user_id), access_token(keys, str(user_id), anonymous=False))


async def client_as(api_url: str, anon_key: str, token: str | None) -> AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await acreate_client(api_url, anon_key, AsyncClientOptions(headers=headers))


@pytest_asyncio.fixture(loop_scope="session")
async def visitor(server: object, db_url: str, keys: ProjectKeys) -> Person:
    return await new_visitor(db_url, keys)


@pytest_asyncio.fixture(loop_scope="session")
async def other_visitor(server: object, db_url: str, keys: ProjectKeys) -> Person:
    return await new_visitor(db_url, keys)


@pytest_asyncio.fixture(loop_scope="session")
async def agent(server: object, db_url: str, keys: ProjectKeys) -> Person:
    return await new_agent(db_url, keys)


@pytest_asyncio.fixture(loop_scope="session")
async def db(db_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(db_url)
    yield conn
    await conn.close()


@pytest.fixture
def storage_dir(data_dir: Path) -> Path:
    return data_dir / "storage"


def temp_files(storage_dir: Path) -> list[Path]:
    return sorted((storage_dir / "tmp").glob("*"))


def blob_files(storage_dir: Path) -> set[Path]:
    return {p for p in (storage_dir / "objects").rglob("*") if p.is_file()}
