"""Each configured limit, hit through supabase-py, answers with Supabase Realtime's error codes.

A dedicated server runs with small limits (`SUPADESK_REALTIME_*`). The joins-per-second limit is
per process and counts every join, so the tests here join only a few channels each, and the
flood test ends once the next second admits joins again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from supabase import AsyncClient
from tests.conftest import RunningServer
from tests.realtime import rt_servers
from tests.realtime.rt_people import channel_options, close, new_client
from tests.realtime.rt_support import LIMIT_S, Inbox

from realtime import AsyncRealtimeChannel, RealtimeAcknowledgementStatus, RealtimeHTTPError

LIMITS = {
    "SUPADESK_REALTIME_MAX_CONNECTIONS": "2",
    "SUPADESK_REALTIME_MAX_CHANNELS_PER_CONNECTION": "3",
    "SUPADESK_REALTIME_MAX_JOINS_PER_SECOND": "20",
    "SUPADESK_REALTIME_MAX_PAYLOAD_BYTES": "1000",
    "SUPADESK_REALTIME_MAX_EVENTS_PER_SECOND": "5",
}


@pytest.fixture(scope="module")
def limited(db_url: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    log_path = tmp_path_factory.mktemp("rt-limited") / "server.log"
    server = rt_servers.start(db_url, data_dir, log_path, {**rt_servers.NO_FUNCTIONS, **LIMITS})
    yield server
    rt_servers.stop(server)


async def join(client: AsyncClient, name: str, ack: bool = False) -> tuple[AsyncRealtimeChannel, Inbox[Any]]:
    """Subscribe; the inbox gets (status, error text) tuples, the first one being the join's outcome."""
    states: Inbox[Any] = Inbox()
    channel = client.channel(name, channel_options({"broadcast": {"ack": ack, "self": False}}))
    await channel.subscribe(lambda status, err: states.add((status.value, str(err) if err else None)))
    assert await states.count(1)
    return channel, states


def refused_with(states: Inbox[Any], reason: str) -> bool:
    return any(s[0] == "CHANNEL_ERROR" and reason in (s[1] or "") for s in states.items)


async def test_connections_per_process(limited: RunningServer) -> None:
    first, second, third = [await new_client(limited) for _ in range(3)]
    assert (await join(first, "conn-1"))[1].items[0] == ("SUBSCRIBED", None)
    assert (await join(second, "conn-2"))[1].items[0] == ("SUBSCRIBED", None)
    _, states = await join(third, "conn-3")
    assert refused_with(states, "ConnectionRateLimitReached: Too many connected users"), states.items
    await close(third, first)  # a connection that leaves frees its place
    fourth = await new_client(limited)
    assert (await join(fourth, "conn-4"))[1].items[0] == ("SUBSCRIBED", None)
    await close(second, fourth)


async def test_channels_per_connection(limited: RunningServer) -> None:
    client = await new_client(limited)
    for i in range(3):
        assert (await join(client, f"chan-{i}"))[1].items[0] == ("SUBSCRIBED", None)
    _, states = await join(client, "chan-3")
    assert refused_with(states, "ChannelRateLimitReached: Too many channels"), states.items
    await close(client)


async def test_payload_size_over_the_socket_and_the_rest_api(limited: RunningServer) -> None:
    client = await new_client(limited)
    channel, _ = await join(client, "payload", ack=True)
    replies: Inbox[tuple[str, Any]] = Inbox()
    small = await channel.push("broadcast", {"type": "broadcast", "event": "note", "payload": {"text": "x" * 100}})
    small.receive(RealtimeAcknowledgementStatus.Ok, lambda response: replies.add(("ok", response)))
    big = await channel.push("broadcast", {"type": "broadcast", "event": "note", "payload": {"text": "x" * 2000}})
    big.receive(RealtimeAcknowledgementStatus.Error, lambda response: replies.add(("error", response)))
    assert await replies.count(2)
    assert replies.items[0][0] == "ok"
    assert replies.items[1] == ("error", {"reason": "PayloadSizeExceeded: Payload size exceeded"})
    with pytest.raises(RealtimeHTTPError):
        await channel.http_send("note", {"text": "x" * 2000})
    await channel.http_send("note", {"text": "small enough"})
    await close(client)


async def test_events_per_second(limited: RunningServer) -> None:
    client = await new_client(limited)
    channel, states = await join(client, "chatty")
    for i in range(20):
        await channel.send_broadcast("typing", {"n": i})
    assert await states.until(lambda _: refused_with(states, "Too many messages per second")), states.items
    await close(client)


async def test_joins_per_second(limited: RunningServer) -> None:
    client = await new_client(limited)
    outcomes: Inbox[Any] = Inbox()
    channels = [client.channel(f"flood-{i}") for i in range(60)]
    await asyncio.gather(
        *(c.subscribe(lambda status, err: outcomes.add((status.value, str(err) if err else None))) for c in channels)
    )
    assert await outcomes.until(
        lambda _: refused_with(outcomes, "ClientJoinRateLimitReached: Too many joins per second")
    )
    await close(client)
    # The limit is per second: a later join is admitted again.
    deadline = time.monotonic() + LIMIT_S
    while True:
        retry = await new_client(limited)
        _, states = await join(retry, "after-flood")
        await close(retry)
        if states.items[0] == ("SUBSCRIBED", None) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)  # the rate window is time itself
    assert states.items[0] == ("SUBSCRIBED", None), states.items
