"""supabase-js under Node (tests/js/realtime.test.mjs) against the server, with supabase-py as the
other party: postgres_changes to js visitors (a token set on realtime, a `supabase.auth` sign-in,
the `accessToken` option), broadcast and presence between js and py.

The file is a `node:test` suite run directly (`node realtime.test.mjs`) rather than through
`node --test`, whose runner holds back a test's stdout, where the cues to this side are written.
Node 20 needs `--experimental-websocket` for the WebSocket global that realtime-js uses."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from supabase import acreate_client
from tests.conftest import RunningServer
from tests.realtime.rt_people import channel_options
from tests.realtime.rt_support import (
    LIMIT_S,
    Agent,
    Inbox,
    Visitor,
    agent_message,
    make_agent,
    make_visitor,
    visitor_message,
)

from supadesk.keys import ProjectKeys

JS_DIR = Path(__file__).resolve().parents[1] / "js"
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


class Node:
    """The node process and its cue protocol: `CUE <text>` lines out, answers on stdin."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.output: list[str] = []

    async def cue(self) -> str:
        assert self.process.stdout is not None
        while True:
            try:
                line = (await asyncio.wait_for(self.process.stdout.readline(), 2 * LIMIT_S)).decode()
            except TimeoutError:
                raise AssertionError("no cue from node:\n" + "".join(self.output)) from None
            self.output.append(line)
            if not line:
                raise AssertionError("node ended early:\n" + "".join(self.output))
            if line.startswith("CUE "):
                return line[4:].strip()

    def answer(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text.encode() + b"\n")

    async def finish(self) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        try:
            rest = await asyncio.wait_for(self.process.stdout.read(), 2 * LIMIT_S)
        except TimeoutError:
            raise AssertionError("node did not end:\n" + "".join(self.output)) from None
        self.output.append(rest.decode())
        return await self.process.wait()


async def rls_round(node: Node, db: asyncpg.Connection, keys: ProjectKeys, bob: Visitor, agent: Agent) -> None:
    """js subscribed to all messages: write bob's message, then one on js's ticket; answer its id."""
    cue = await node.cue()
    assert cue.startswith("subscribed "), cue
    ticket_id = cue.split(" ", 1)[1]
    await visitor_message(db, keys, bob, "bob's secret")
    node.answer(await agent_message(db, keys, agent, ticket_id, "for the js visitor only"))


async def test_supabase_js_with_supabase_py(
    rt_server: RunningServer, db: asyncpg.Connection, project_keys: ProjectKeys
) -> None:
    visitor = await make_visitor(db, project_keys)
    bob = await make_visitor(db, project_keys)
    agent = await make_agent(db, project_keys)
    room = f"room-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "API_URL": rt_server.api_url,
        "ANON_KEY": rt_server.anon_key,
        "VISITOR_TOKEN": visitor.token,
        "TICKET_ID": visitor.ticket_id,
        "ROOM": room,
    }
    process = await asyncio.create_subprocess_exec(
        "node",
        "--experimental-websocket",
        "--no-warnings",
        "realtime.test.mjs",
        cwd=JS_DIR,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    node = Node(process)
    try:
        await converse(node, rt_server, db, project_keys, visitor, bob, agent, room)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def converse(
    node: Node,
    rt_server: RunningServer,
    db: asyncpg.Connection,
    project_keys: ProjectKeys,
    visitor: Visitor,
    bob: Visitor,
    agent: Agent,
    room: str,
) -> None:
    assert await node.cue() == "subscribed"
    node.answer(await agent_message(db, project_keys, agent, visitor.ticket_id, "reply for js"))

    await rls_round(node, db, project_keys, bob, agent)  # signed in with supabase.auth
    await rls_round(node, db, project_keys, bob, agent)  # the accessToken option

    assert await node.cue() == "joined"
    py = await acreate_client(rt_server.api_url, rt_server.anon_key)
    await py.realtime.set_auth(agent.token)
    pongs: Inbox[Any] = Inbox()
    synced: Inbox[None] = Inbox()
    channel = py.channel(
        room, channel_options({"presence": {"key": "py-agent", "enabled": True}, "broadcast": {"self": False}})
    )
    channel.on_broadcast("pong", lambda message: pongs.add(message["payload"]))
    channel.on_presence_sync(lambda: synced.add(None))
    await channel.subscribe()
    await channel.track({"online": True})
    assert await synced.until(lambda _: "js-visitor" in channel.presence_state())
    await channel.send_broadcast("ping", {"n": 1, "from": "py"})
    assert await pongs.count(1)
    assert pongs.items == [{"n": 2, "from": "js"}]
    node.answer("pong received")
    code = await node.finish()
    await py.realtime.close()
    assert code == 0, "".join(node.output)
