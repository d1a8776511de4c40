"""PostgreSQL restarted under a running server: the server reconnects by itself, subscribers are
told (a `system` error and `phx_error`, as Supabase Realtime does) and rejoin, and a client that
catches up by cursor through `/rest/v1` has every message exactly once.

This module has its own PostgreSQL cluster, database and server: restarting the suite's shared
cluster would disturb the other tests."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from postgrest.exceptions import APIError
from supabase import acreate_client
from tests.conftest import RunningServer, free_port
from tests.realtime import rt_cluster, rt_servers
from tests.realtime.conftest import migrated_database
from tests.realtime.rt_people import Person, anonymous_visitor, close, password_agent, subscribe
from tests.realtime.rt_support import LIMIT_S
from tests.realtime.test_rt_postgres_changes import catch_up

from supadesk.config import Settings


@pytest.fixture(scope="module")
def restartable() -> Iterator[rt_cluster.Cluster]:
    cluster = rt_cluster.create(free_port())
    yield cluster
    rt_cluster.destroy(cluster)


@pytest.fixture(scope="module")
def restart_server(
    restartable: rt_cluster.Cluster, settings: Settings, data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    url = migrated_database(restartable, settings, "sd_rt_restart")
    server = rt_servers.start(
        url, data_dir, tmp_path_factory.mktemp("rt-restart") / "server.log", rt_servers.NO_FUNCTIONS
    )
    yield server
    rt_servers.stop(server)


async def write(db_url: str, agent: Person, ticket_id: str, texts: list[str]) -> list[str]:
    """The agent's messages, one transaction each, under the agent's role and claims.

    Straight to PostgreSQL on a fresh connection: around a restart, a write whose reply is lost
    would leave it unknown whether it committed; here each one surely did (or the test fails).
    """
    claims = json.dumps({"sub": agent.user_id, "role": "authenticated"})
    conn = await asyncpg.connect(db_url)
    try:
        ids = []
        for text in texts:
            async with conn.transaction():
                await conn.execute(
                    "select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)",
                    claims,
                )
                ids.append(
                    str(
                        await conn.fetchval(
                            "insert into public.messages (ticket_id, sender_type, sender_id, content) "
                            "values ($1::uuid, 'admin', $2::uuid, $3) returning id",
                            ticket_id,
                            agent.user_id,
                            text,
                        )
                    )
                )
        return ids
    finally:
        await conn.close()


async def catch_up_when_reachable(person: Person, ticket_id: str, cursor: str) -> list[dict[str, Any]]:
    """The cursor query; a client retries it while the REST surface answers with an error."""
    deadline = time.monotonic() + LIMIT_S
    while True:
        try:
            return await catch_up(person.client, ticket_id, cursor)
        except APIError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)  # a client's retry delay


async def test_postgres_restart_is_survived_and_caught_up_by_cursor(
    restartable: rt_cluster.Cluster, restart_server: RunningServer
) -> None:
    db = await asyncpg.connect(restart_server.db_url)
    try:
        agent = await password_agent(restart_server, db)
    finally:
        await db.close()
    visitor = await anonymous_visitor(restart_server)
    sub = await subscribe(visitor.client, "restart", event="INSERT", filter=f"ticket_id=eq.{visitor.ticket_id}")
    sent = await write(restart_server.db_url, agent, visitor.ticket_id, [f"before {i}" for i in range(5)])
    assert await sub.changes.count(5)
    cursor = max(d["record"]["created_at"] for d in sub.changes.items)

    await asyncio.to_thread(restartable.restart)
    sent += await write(restart_server.db_url, agent, visitor.ticket_id, [f"during {i}" for i in range(5)])

    # Told: an error on the channel; then the client rejoins and the server subscribes it again.
    assert await sub.events.until(lambda _: sub.subscribed_to_postgres() >= 2), sub.events.items
    after_join = sub.events.items[sub.events.items.index(("SUBSCRIBED", None)) + 1 :]
    errors = [e[1] or "" for e in after_join if isinstance(e, tuple) and e[0] == "CHANNEL_ERROR"]
    assert any("rejoin and catch up" in e for e in errors), sub.events.items

    sent += await write(restart_server.db_url, agent, visitor.ticket_id, [f"after {i}" for i in range(5)])
    assert await sub.changes.until(lambda items: str(items[-1]["record"]["id"]) == sent[-1])  # live again

    live = sub.ids()
    assert len(live) == len(set(live))  # nothing twice on the socket
    merged: dict[str, None] = dict.fromkeys(live)
    for row in await catch_up_when_reachable(visitor, visitor.ticket_id, cursor):
        merged.setdefault(str(row["id"]))
    assert set(sent) <= set(merged), [t for t in sent if t not in merged]
    # Anything else is the ticket's first message (committed just before the join, it may arrive).
    extra = [d["record"]["content"] for d in sub.changes.items if str(d["record"]["id"]) not in sent]
    assert set(merged) - set(sent) <= {str(d["record"]["id"]) for d in sub.changes.items} and set(extra) <= {"Hello?"}
    await close(visitor, agent)


async def test_rest_schema_reloads_still_arrive_after_a_restart(
    restartable: rt_cluster.Cluster, restart_server: RunningServer
) -> None:
    """The REST surface's `NOTIFY pgrst` listener reconnects by itself: a table created after the
    restart appears through the API (a migration run against a restarted database needs no server
    restart)."""
    await asyncio.to_thread(restartable.restart)
    db = await asyncpg.connect(restart_server.db_url)
    try:
        await db.execute(
            "create table public.after_restart (id int primary key); "
            "grant select on public.after_restart to service_role; "
            "insert into public.after_restart values (7); "
            "notify pgrst, 'reload schema';"
        )
    finally:
        await db.close()
    service = await acreate_client(restart_server.api_url, restart_server.service_role_key)
    deadline = time.monotonic() + LIMIT_S
    while True:
        try:
            rows = (await service.table("after_restart").select("id").execute()).data
            break
        except APIError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.25)
    assert rows == [{"id": 7}]
