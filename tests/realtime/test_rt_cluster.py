"""Two `supadesk start` processes on one database (different ports): each delivers every change to
its own subscribers exactly once; broadcast and presence cross over through Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError
from tests.conftest import RunningServer
from tests.realtime import rt_cluster, rt_servers
from tests.realtime.conftest import migrated_database
from tests.realtime.rt_people import (
    Person,
    anonymous_visitor,
    channel_options,
    close,
    first_row,
    new_client,
    password_agent,
    subscribe,
)
from tests.realtime.rt_support import Inbox

from realtime import AsyncRealtimeChannel
from supadesk.config import Settings


@pytest.fixture(scope="module", autouse=True)
async def redis_answers() -> None:
    client = Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=2)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        pytest.fail(f"these tests need the Redis on 127.0.0.1:6379: {exc}")
    finally:
        await client.aclose()


async def test_each_process_delivers_every_change_to_its_subscribers_exactly_once(
    rt_server: RunningServer, rt_server_b: RunningServer, db: asyncpg.Connection
) -> None:
    visitor = await anonymous_visitor(rt_server)  # on process A
    agent = await password_agent(rt_server_b, db)  # on process B
    on_a = await subscribe(visitor.client, "two-a", event="INSERT", filter=f"ticket_id=eq.{visitor.ticket_id}")
    on_b = await subscribe(agent.client, "two-b", event="INSERT", filter=f"ticket_id=eq.{visitor.ticket_id}")
    sent = []
    for i in range(20):
        row = {"ticket_id": visitor.ticket_id, "sender_type": "admin", "sender_id": agent.user_id, "content": f"m{i}"}
        sent.append(str(first_row((await agent.client.table("messages").insert(row).execute()).data)["id"]))
    # In commit order per subscriber: once the last row is in, a duplicate of any row would be too.
    for sub in (on_a, on_b):
        assert await sub.changes.until(lambda items: bool(items) and str(items[-1]["record"]["id"]) == sent[-1])
        assert sub.ids(but=visitor.opening_message_id) == sent
    await close(visitor, agent)


async def _room(person: Person | Any, name: str, key: str) -> tuple[AsyncRealtimeChannel, Inbox[Any], Inbox[None]]:
    client = person.client if isinstance(person, Person) else person
    heard: Inbox[Any] = Inbox()
    synced: Inbox[None] = Inbox()
    channel = client.channel(
        name, channel_options({"presence": {"key": key, "enabled": True}, "broadcast": {"self": False}})
    )
    channel.on_broadcast("typing", lambda message: heard.add(message["payload"]))
    channel.on_presence_sync(lambda: synced.add(None))
    joined: Inbox[str] = Inbox()
    await channel.subscribe(lambda status, err: joined.add(status.value))
    assert await joined.until(lambda items: "SUBSCRIBED" in items), joined.items
    return channel, heard, synced


async def test_broadcast_and_presence_reach_the_other_process(
    rt_server: RunningServer, rt_server_b: RunningServer, db: asyncpg.Connection
) -> None:
    agent = await password_agent(rt_server, db)  # on A
    colleague = await password_agent(rt_server_b, db)  # on B
    room = f"ticket-room-{agent.user_id[:8]}"
    on_a, heard_a, synced_a = await _room(agent, room, "agent-a")
    on_b, heard_b, synced_b = await _room(colleague, room, "agent-b")

    await on_a.track({"typing": False})
    assert await synced_b.until(lambda _: "agent-a" in on_b.presence_state())
    await on_b.track({"typing": True})
    assert await synced_a.until(lambda _: "agent-b" in on_a.presence_state())

    await on_a.send_broadcast("typing", {"from": "a"})
    assert await heard_b.count(1)
    await on_b.send_broadcast("typing", {"from": "b"})
    assert await heard_a.count(1)
    assert heard_a.items == [{"from": "b"}] and heard_b.items == [{"from": "a"}]

    await close(colleague)  # B's member leaves: A sees it go
    assert await synced_a.until(lambda _: "agent-b" not in on_a.presence_state())
    await close(agent)


@pytest.fixture(scope="module")
def other_db_server(
    private_cluster: rt_cluster.Cluster, settings: Settings, data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """A process serving another database on the same PostgreSQL and the same Redis."""
    url = migrated_database(private_cluster, settings, "sd_rt_other")
    log_path = tmp_path_factory.mktemp("rt-other-db") / "server.log"
    server = rt_servers.start(url, data_dir, log_path, rt_servers.NO_FUNCTIONS)
    yield server
    rt_servers.stop(server)


async def test_processes_of_another_database_do_not_share_the_bus(
    rt_server: RunningServer, rt_server_b: RunningServer, other_db_server: RunningServer, db: asyncpg.Connection
) -> None:
    control = await new_client(rt_server_b)  # same database as the sender
    _, control_heard, _ = await _room(control, "same-name", "control")
    stranger = await new_client(other_db_server)
    _, stranger_heard, _ = await _room(stranger, "same-name", "stranger")
    local = await new_client(other_db_server)
    local_sender, _, _ = await _room(local, "same-name", "local")
    agent = await password_agent(rt_server, db)
    sender, _, _ = await _room(agent, "same-name", "sender")

    await sender.send_broadcast("typing", {"n": "from this database"})
    assert await control_heard.count(1)  # published: Redis has handed it to every subscriber
    await local_sender.send_broadcast("typing", {"n": "from the other database"})
    assert await stranger_heard.count(1)
    assert stranger_heard.items == [{"n": "from the other database"}]
    await close(control, stranger, local, agent)
