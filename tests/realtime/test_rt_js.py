"""supabase-js under Node (tests/js/realtime.test.mjs) against the server, with supabase-py as the
other party: postgres_changes to a js visitor, broadcast and presence between js and py.

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
from rt_support import agent_message, make_agent, make_visitor, wait_for
from supabase import acreate_client

from supadesk.keys import ProjectKeys

JS_DIR = Path(__file__).resolve().parents[1] / "js"
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


async def test_supabase_js_with_supabase_py(rt_server: Any, db: asyncpg.Connection, project_keys: ProjectKeys) -> None:
    visitor = await make_visitor(db, project_keys)
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
    node = await asyncio.create_subprocess_exec(
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
    assert node.stdin is not None and node.stdout is not None
    output: list[str] = []

    async def next_cue() -> str:
        assert node.stdout is not None
        while True:
            line = (await asyncio.wait_for(node.stdout.readline(), 90)).decode()
            output.append(line)
            if not line:
                raise AssertionError("node ended early:\n" + "".join(output))
            if line.startswith("CUE "):
                return line[4:].strip()

    def answer(text: str) -> None:
        assert node.stdin is not None
        node.stdin.write(text.encode() + b"\n")

    assert await next_cue() == "subscribed"
    answer(await agent_message(db, project_keys, agent, visitor.ticket_id, "reply for js"))

    assert await next_cue() == "joined"
    py = await acreate_client(rt_server.api_url, rt_server.anon_key)
    await py.realtime.set_auth(agent.token)
    pongs: list[dict[str, Any]] = []
    channel = py.channel(
        room, {"config": {"presence": {"key": "py-agent", "enabled": True}, "broadcast": {"self": False}}}
    )
    channel.on_broadcast("pong", lambda message: pongs.append(message["payload"]))
    channel.on_presence_sync(lambda: None)
    await channel.subscribe()
    await channel.track({"online": True})
    assert await wait_for(lambda: "js-visitor" in channel.presence_state(), 15)
    await channel.send_broadcast("ping", {"n": 1, "from": "py"})
    assert await wait_for(lambda: len(pongs) == 1, 15)
    assert pongs == [{"n": 2, "from": "js"}]
    answer("pong received")
    node.stdin.close()
    rest = await asyncio.wait_for(node.stdout.read(), 60)
    output.append(rest.decode())
    code = await node.wait()
    await py.realtime.close()
    assert code == 0, "".join(output)
