"""Helpers shared by tests/db, tests/rls and tests/cli: scratch databases, rolled-back transactions,
acting as a role exactly as the server does (`supadesk.server.db.apply_scope`)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from supadesk.database.locate import with_database
from supadesk.server.context import RequestContext, context_from_claims
from supadesk.server.db import apply_scope

PG_URL = os.environ.get("SUPADESK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PREFIX = "sd_fd_"  # every database these suites create starts with this


def scratch_name(purpose: str) -> str:
    return f"{PREFIX}{purpose}_{os.getpid()}_{uuid.uuid4().hex[:6]}"


async def create_database(name: str, template: str | None = None) -> str:
    admin = await asyncpg.connect(with_database(PG_URL, "postgres"))
    try:
        clause = f' template "{template}"' if template else ""
        await admin.execute(f'create database "{name}"{clause}')
    finally:
        await admin.close()
    return with_database(PG_URL, name)


async def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[-1].split("?")[0]
    assert name.startswith(PREFIX), name
    admin = await asyncpg.connect(with_database(PG_URL, "postgres"))
    try:
        await admin.execute(f'drop database if exists "{name}" with (force)')
    finally:
        await admin.close()


class Rollback(Exception):
    """Raised to leave a transaction block by rolling it back."""


@asynccontextmanager
async def rolled_back(conn: asyncpg.Connection) -> AsyncIterator[asyncpg.Connection]:
    """A transaction that never commits, whatever happens inside."""
    tx = conn.transaction()
    await tx.start()
    try:
        yield conn
    finally:
        await tx.rollback()


def claims_for(role: str, user_id: str | None = None, *, anonymous: bool = False, email: str = "") -> dict[str, Any]:
    """The JWT payload GoTrue issues (spec §2.4), or a project key's payload without a user."""
    if user_id is None:
        return {"iss": "supadesk", "role": role}
    return {
        "aud": "authenticated",
        "sub": user_id,
        "role": role,
        "email": email,
        "phone": "",
        "app_metadata": {} if anonymous else {"provider": "email", "providers": ["email"]},
        "user_metadata": {},
        "aal": "aal1",
        "amr": [{"method": "anonymous" if anonymous else "password", "timestamp": 1767225600}],
        "session_id": str(uuid.uuid4()),
        "is_anonymous": anonymous,
    }


async def act_as(
    conn: asyncpg.Connection, claims: dict[str, Any], method: str = "GET", path: str = "/"
) -> RequestContext:
    """Inside a transaction: become the caller, with the one statement the server runs."""
    ctx = context_from_claims(claims, method=method, path=path)
    await apply_scope(conn, ctx)
    return ctx
