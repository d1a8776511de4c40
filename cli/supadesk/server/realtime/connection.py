"""One WebSocket: a reader that decodes frames in order and a writer draining a bounded queue.

Fan-out never awaits a socket. When nothing is queued and the writer is idle, a frame is sent
eagerly: written straight to the socket where the server allows it (direct_send.py), else by
stepping the ASGI `send` coroutine once in place — as uvicorn's send only awaits when the
transport is paused (flow control), it normally completes right there, sparing a task wake-up
per delivery. If it does suspend, the writer task finishes it, and later frames queue behind it
in order. A socket whose queue passes `max_queue_messages` is cut with a `system`
error on each channel and close code 1011, so a slow client learns it missed messages (and
rejoins and catches up) instead of silently losing them.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
from collections.abc import Awaitable, Coroutine
from typing import TYPE_CHECKING, Any

from starlette.types import Receive, Send

from supadesk.keys import Claims
from supadesk.server.realtime import protocol as p
from supadesk.server.realtime import serializer
from supadesk.server.realtime.channel import Channel
from supadesk.server.realtime.direct_send import direct_writer

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
        self._direct = direct_writer(send)
        self._queue: collections.deque[str | bytes] = collections.deque()
        self._waiter: asyncio.Future[None] | None = None  # set while the writer idles
        self._stalled: tuple[Coroutine[Any, Any, None], Any] | None = None  # an eager send that suspended
        self._broken = False
        self._closing: tuple[int, str] | None = None
        self._events_window = 0.0
        self._events = 0

    # -- outbound ----------------------------------------------------------------------------

    def send_frame(self, frame: str | bytes) -> None:
        if self._closing is not None or self._broken:
            return
        waiter = self._waiter
        if waiter is not None and not waiter.done() and not self._queue and self._stalled is None:
            if self._direct is None or not self._direct.try_write(frame):
                self._send_eagerly(frame)
            return
        if len(self._queue) >= self.service.config.max_queue_messages:
            self._overflow()
            return
        self._queue.append(frame)
        self._wake()

    def _send_eagerly(self, frame: str | bytes) -> None:
        coro = self._send(_message(frame))
        if not isinstance(coro, Coroutine):  # not stepable: let the writer await it
            self._stalled = (_awaiting(coro), None)
            self._wake()
            return
        try:
            yielded = coro.send(None)
        except StopIteration:
            return
        except Exception as exc:  # the socket is gone: the reader ends the connection
            log.debug("realtime socket send failed: %s", exc)
            self._broken = True
            self._wake()
            return
        self._stalled = (coro, yielded)
        self._wake()

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
            if self._broken:
                return
            if self._stalled is not None:
                await _resume(*self._stalled)
                self._stalled = None
            queue = self._queue
            while queue:
                await send(_message(queue.popleft()))
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


def _message(frame: str | bytes) -> dict[str, Any]:
    if isinstance(frame, str):
        return {"type": "websocket.send", "text": frame}
    return {"type": "websocket.send", "bytes": frame}


async def _resume(coro: Coroutine[Any, Any, None], yielded: Any) -> None:
    """Drive a coroutine that was stepped by hand and suspended on `yielded` to its end, as a
    task would: wait for what it waits on (without taking its result), then step it again."""
    try:
        while True:
            if isinstance(yielded, asyncio.Future):
                await asyncio.wait({yielded})  # the coroutine takes the result (or error) itself
            else:
                await asyncio.sleep(0)
            yielded = coro.send(None)
    except StopIteration:
        return
    except BaseException:
        coro.close()
        raise


async def _awaiting(awaitable: Awaitable[None]) -> None:
    await awaitable
