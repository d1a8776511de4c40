"""The `/realtime/v1` surface: Phoenix channels at `/websocket` and the REST broadcast API.

See docs/realtime.md for the design (logical decoding, batched per-subscriber RLS, broadcast and
presence across processes through Redis, limits and the catch-up-by-cursor pattern).
"""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from supadesk.server.realtime.http_api import BroadcastApi
from supadesk.server.realtime.service import RealtimeService
from supadesk.server.surface import ServerState, Surface

PREFIX = "/realtime/v1"


def create_surface(state: ServerState) -> Surface:
    service = RealtimeService(state)
    state.extras["realtime"] = service  # other surfaces call .notify_commit() after a write commits
    http = BroadcastApi(service).app()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            if scope["path"].rstrip("/") in ("/websocket", "/socket/websocket"):
                await service.websocket(scope, receive, send)
            else:
                await receive()
                await send({"type": "websocket.close", "code": 1008})
            return
        await http(scope, receive, send)

    return Surface(prefix=PREFIX, app=app, startup=service.startup, shutdown=service.shutdown)
