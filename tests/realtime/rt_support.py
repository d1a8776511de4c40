"""Helpers for the realtime suite: servers, users with GoTrue-like tokens, waiting on callbacks."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from supadesk.accounts import NewUser, create_user
from supadesk.keys import ProjectKeys
from supadesk.server.context import context_from_claims
from supadesk.server.db import apply_scope

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def start_any_server(db_url: str, data_dir: Path, log_path: Path, env: dict[str, str] | None = None) -> Any:
    """`supadesk start` (tests/conftest.py), or serve.py when unfinished surfaces stop the gateway."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import RunningServer, free_port, start_server

    try:
        return start_server(db_url, data_dir, log_path, env=env)
    except RuntimeError:
        pass
    port = free_port()
    full_env = {**os.environ, "SUPADESK_DATA_DIR": str(data_dir), "SUPADESK_PROJECT_DIR": str(ROOT), **(env or {})}
    log_file = open(log_path, "wb")
    process = subprocess.Popen(
        [sys.executable, str(HERE / "serve.py"), db_url, str(port)],
        stdout=log_file,
        stderr=subprocess.STDOUT,
        env=full_env,
        cwd=ROOT,
    )
    api_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log_path.read_text(errors="replace"))
        try:
            if httpx.get(f"{api_url}/supadesk-config.json", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    from supadesk.keys import load_keys

    keys = load_keys(data_dir)
    return RunningServer(api_url, db_url, keys.anon_key, keys.service_role_key, process, log_path)


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


async def wait_for(predicate: Callable[[], bool], limit_s: float = 10.0) -> bool:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.02)
    return predicate()
