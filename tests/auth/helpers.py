"""Helpers shared by the /auth/v1 tests: clients, unique emails, direct SQL, token inspection.

Clients are made with `auto_refresh_token=False` so no background timer rotates a refresh token
while a test is asserting on it.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import jwt
from supabase import Client, ClientOptions, create_client
from tests.conftest import RunningServer

API_VERSION = {"X-Supabase-Api-Version": "2024-01-01"}
PASSWORD = "correct-horse-battery"


def new_client(server: RunningServer, key: str | None = None) -> Client:
    return create_client(server.api_url, key or server.anon_key, ClientOptions(auto_refresh_token=False))


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def sql(db_url: str, query: str, *args: Any) -> list[asyncpg.Record]:
    """Run one statement directly against the test database (behind the API's back)."""

    async def run() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(db_url)
        try:
            return await conn.fetch(query, *args)
        finally:
            await conn.close()

    return asyncio.run(run())


def claims(token: str) -> dict[str, Any]:
    """A JWT's payload, unverified (the tests inspect what the server issued)."""
    payload: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return payload


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
