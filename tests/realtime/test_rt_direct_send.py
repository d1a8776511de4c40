"""The realtime fast path — frames written straight to the socket (direct_send.py) — is taken with
the uvicorn `supadesk start` runs, and what it writes is what the ASGI path would have sent."""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from starlette.types import Receive, Scope, Send
from tests.conftest import free_port
from websockets.asyncio.client import connect

from supadesk.server.realtime.direct_send import DirectWriter, direct_writer

FRAMES: list[str | bytes] = ["hello", b"\x00\x01binary", "x" * 70_000]  # 7-, 16- and 64-bit lengths


async def test_frames_written_directly_arrive_intact_and_in_order() -> None:
    seen: dict[str, Any] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            return
        await receive()  # websocket.connect
        writer = direct_writer(send)
        seen["writer"] = writer
        await send({"type": "websocket.accept"})
        assert isinstance(writer, DirectWriter)
        seen["direct"] = [writer.try_write(frame) for frame in FRAMES]
        await send({"type": "websocket.send", "text": "through ASGI, after them"})
        await receive()  # until the client leaves

    port = free_port()
    # As `supadesk start` configures it (cli/server.py).
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, ws="websockets-sansio", ws_per_message_deflate=False, log_level="warning"
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:  # noqa: ASYNC110 - uvicorn exposes only this flag
            await asyncio.sleep(0.02)
        async with connect(f"ws://127.0.0.1:{port}/", max_size=None, compression=None) as ws:
            received = [await asyncio.wait_for(ws.recv(), 5) for _ in range(len(FRAMES) + 1)]
    finally:
        server.should_exit = True
        await serving
    assert seen["direct"] == [True, True, True]  # the fast path was taken for every frame
    assert received == [*FRAMES, "through ASGI, after them"]


def test_other_servers_get_the_asgi_path() -> None:
    async def send(message: Any) -> None:
        return None

    assert direct_writer(send) is None
