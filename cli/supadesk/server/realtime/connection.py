"""One WebSocket: a reader that decodes frames in order and a writer draining a bounded queue.

Fan-out never awaits a socket: frames are queued and the writer task sends them. A socket whose
queue passes `max_queue_messages` is cut with a `system` error on each channel and close code
1011, so a slow client learns it missed messages (and rejoins and catches up) instead of silently
losing them.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
from typing import TYPE_CHECKING

from starlette.types import Receive, Send

from supadesk.keys import Claims
from supadesk.server.realtime import protocol as p
from supadesk.server.realtime import serializer
from supadesk.server.realtime.channel import Channel

if TYPE_CHECKING:
    from supadesk.server.realtime.service import RealtimeService

log = logging.getLogger("supadesk.realtime.connection")

SLOW_CONSUMER = "Client too slow: outbound queue limit reached; rejoin and catch up"


class Connection:
    def __init__(self, service: RealtimeService, vsn: str, apikey: str, apikey_claims: Claims, send: Send) -> None:
        self.service = service
        self.vsn = vsn
        self.apikey = apikey
        self.apikey_claims = apikey_claims
        self.channels: dict[str, Channel] = {}
        self.counted = False  # counts against max_connections once it joined a channel
        self.last_seen = time.monotonic()
        self._send = send
        self._queue: collections.deque[str | bytes] = collections.deque()
        self._waiter: asyncio.Future[None] | None = None
        self._closing: tuple[int, str] | None = None
        self._events_window = 0.0
        self._events = 0

    # -- outbound ----------------------------------------------------------------------------

    def send_frame(self, frame: str | bytes) -> None:
        if self._closing is not None:
            return
        if len(self._queue) >= self.service.config.max_queue_messages:
            self._overflow()
            return
        self._queue.append(frame)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def push(
        self, topic: str, event: str, payload: object, ref: str | None = None, join_ref: str | None = None
    ) -> None:
        self.send_frame(serializer.encode(self.vsn, topic, event, payload, ref, join_ref))

    def reply(self, msg: p.Inbound, payload: dict[str, object]) -> None:
        self.push(msg.topic, p.REPLY, payload, msg.ref, msg.join_ref)

    def close(self, code: int = 1000, reason: str = "") -> None:
        if self._closing is None:
            self._closing = (code, reason)
            self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _overflow(self) -> None:
        log.warning("closing a slow realtime client (%d messages queued)", len(self._queue))
        self._queue.clear()
        for channel in list(self.channels.values()):
            channel.system("system", "error", SLOW_CONSUMER)
        # the system errors above are the last frames before the close
        self._closing = (1011, "slow consumer")
        self._wake()

    async def _writer(self) -> None:
        send = self._send
        while True:
            queue = self._queue
            while queue:
                frame = queue.popleft()
                if isinstance(frame, str):
                    await send({"type": "websocket.send", "text": frame})
                else:
                    await send({"type": "websocket.send", "bytes": frame})
            if self._closing is not None:
                code, reason = self._closing
                await send({"type": "websocket.close", "code": code, "reason": reason})
                return
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
            self._waiter = None

    # -- inbound -----------------------------------------------------------------------------

    async def run(self, receive: Receive) -> None:
        writer = asyncio.create_task(self._writer())
        try:
            while not writer.done():
                message = await receive()
                if message["type"] == "websocket.disconnect":
                    break
                self.last_seen = time.monotonic()
                frame = message.get("text")
                if frame is None:
                    frame = message.get("bytes") or b""
                try:
                    decoded = serializer.decode(self.vsn, frame)
                except (p.ProtocolError, UnicodeDecodeError) as exc:
                    log.info("dropping an undecodable frame: %s", exc)
                    continue
                await self._dispatch(decoded)
        finally:
            for channel in list(self.channels.values()):
                channel.stop(notify=False)
            self.service.disconnected(self)
            if not writer.done():
                self._closing = self._closing or (1000, "")
                self._wake()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(writer, 1.0)
            if not writer.done():
                writer.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await writer

    async def _dispatch(self, msg: p.Inbound | p.BroadcastPush) -> None:
        if isinstance(msg, p.BroadcastPush):
            channel = self.channels.get(msg.topic)
            if channel is not None:
                channel.handle_binary(msg)
            return
        if msg.topic == p.PHOENIX_TOPIC:
            if msg.event == p.HEARTBEAT:
                self.reply(msg, p.ok())
            return
        if msg.event == p.JOIN:
            await self.service.join(self, msg)
            return
        channel = self.channels.get(msg.topic)
        if channel is None:
            if msg.event not in (p.ACCESS_TOKEN,):
                self.reply(msg, p.error({"reason": "unmatched topic"}))
            return
        await channel.handle(msg)

    def forget(self, channel: Channel) -> None:
        if self.channels.get(channel.topic) is channel:
            del self.channels[channel.topic]

    def count_event(self, channel: Channel) -> bool:
        """Client pushes per second per socket; over the limit the channel is shut down."""
        now = time.monotonic()
        if now - self._events_window >= 1.0:
            self._events_window, self._events = now, 0
        self._events += 1
        if self._events > self.service.config.max_events_per_second:
            channel.stop_with_error("Too many messages per second")
            return False
        return True
