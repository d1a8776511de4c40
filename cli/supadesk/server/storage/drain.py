"""Read what is left of a request body after the response was sent.

An upload refused early (too large, wrong type, no permission) leaves the client still sending.
If the server closed the connection then, most HTTP clients would fail writing instead of reading
our error; so the unread rest is consumed (and dropped, never stored) up to DRAIN_LIMIT bytes.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DRAIN_LIMIT = 256 * 1024 * 1024
DRAIN_TIMEOUT_S = 60.0


class DrainBody:
    def __init__(self, app: ASGIApp, limit: int = DRAIN_LIMIT) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        finished = False

        async def tracked() -> Message:
            nonlocal finished
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                finished = True
            return message

        async def drain() -> None:
            drained = 0
            while not finished and drained <= self.limit:
                message = await tracked()
                drained += len(message.get("body", b""))

        await self.app(scope, tracked, send)
        if not finished:
            try:
                await asyncio.wait_for(drain(), DRAIN_TIMEOUT_S)
            except TimeoutError:
                pass
