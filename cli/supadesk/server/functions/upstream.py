"""A small HTTP/1.1 client for the one hop server → Deno on 127.0.0.1, with keep-alive.

Written on h11 (already a dependency through httpx) instead of using httpx itself: the hop needs
none of httpx's features (auth, redirects, cookies, proxies, TLS) and its per-request overhead was
most of the proxy's CPU time. The request body is sent while the response is read, so a function
that answers before reading a large body cannot deadlock the hop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator

import h11

Headers = list[tuple[bytes, bytes]]
READ_SIZE = 256 * 1024


class UpstreamUnavailable(Exception):
    """Nothing was sent: the runtime was not listening (it is being restarted)."""


class UpstreamBroken(Exception):
    """The connection failed after the request (or part of it) was sent."""


class Upstream:
    def __init__(self, max_idle: int = 64) -> None:
        self.max_idle = max_idle
        self._idle: dict[int, deque[_Connection]] = {}

    async def request(
        self, port: int, method: str, target: bytes, headers: Headers, body: AsyncIterator[bytes] | None
    ) -> Response:
        connection = self._take(port) or await _Connection.open(port)
        try:
            return await connection.exchange(self, port, method, target, headers, body)
        except BaseException:
            connection.close()
            raise

    def _take(self, port: int) -> _Connection | None:
        for stale in [p for p in self._idle if p != port]:  # a restarted runtime listens elsewhere
            for connection in self._idle.pop(stale):
                connection.close()
        idle = self._idle.get(port)
        while idle:
            connection = idle.pop()
            if connection.usable():
                return connection
            connection.close()
        return None

    def give_back(self, port: int, connection: _Connection) -> None:
        idle = self._idle.setdefault(port, deque())
        if len(idle) < self.max_idle:
            idle.append(connection)
        else:
            connection.close()

    def close(self) -> None:
        for idle in self._idle.values():
            for connection in idle:
                connection.close()
        self._idle.clear()


class Response:
    def __init__(self, status: int, headers: Headers, body: AsyncIterator[bytes], on_close: _Closer) -> None:
        self.status = status
        self.headers = headers
        self._body = body
        self._on_close = on_close

    def chunks(self) -> AsyncIterator[bytes]:
        return self._body

    async def aclose(self) -> None:
        await self._on_close()


class _Closer:
    def __init__(self, connection: _Connection, pool: Upstream, port: int, sender: asyncio.Task[None] | None) -> None:
        self.connection, self.pool, self.port, self.sender = connection, pool, port, sender
        self.done = False

    async def __call__(self) -> None:
        if self.done:
            return
        self.done = True
        reusable = self.connection.finished()
        if self.sender is not None and not self.sender.done():
            self.sender.cancel()
            reusable = False
        if self.sender is not None:
            with contextlib.suppress(BaseException):
                await self.sender
        if reusable:
            self.connection.h11.start_next_cycle()
            self.pool.give_back(self.port, self.connection)
        else:
            self.connection.close()


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.h11 = h11.Connection(our_role=h11.CLIENT)

    @classmethod
    async def open(cls, port: int) -> _Connection:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError as exc:
            raise UpstreamUnavailable(str(exc)) from exc
        return cls(reader, writer)

    def usable(self) -> bool:
        return not self.writer.is_closing() and not self.reader.at_eof() and self.h11.our_state is h11.IDLE

    def finished(self) -> bool:
        return self.h11.our_state is h11.DONE and self.h11.their_state is h11.DONE

    def close(self) -> None:
        self.writer.close()

    def _write(self, event: h11.Event) -> None:
        data = self.h11.send(event)
        if data:
            self.writer.write(data)

    async def exchange(
        self, pool: Upstream, port: int, method: str, target: bytes, headers: Headers, body: AsyncIterator[bytes] | None
    ) -> Response:
        names = {name.lower() for name, _ in headers}
        if body is not None and b"content-length" not in names and b"transfer-encoding" not in names:
            headers = [*headers, (b"transfer-encoding", b"chunked")]
        self._write(h11.Request(method=method, target=target, headers=headers))
        sender = asyncio.create_task(self._send_body(body))
        try:
            response = await self._response()
        except BaseException:
            sender.cancel()
            with contextlib.suppress(BaseException):
                await sender
            raise
        return Response(response.status_code, list(response.headers), self._body(), _Closer(self, pool, port, sender))

    async def _send_body(self, body: AsyncIterator[bytes] | None) -> None:
        try:
            if body is not None:
                async for chunk in body:
                    self._write(h11.Data(data=chunk))
                    await self.writer.drain()
            self._write(h11.EndOfMessage())
            await self.writer.drain()
        except (OSError, h11.LocalProtocolError):
            self.close()

    async def _next_event(self) -> h11.Event:
        while True:
            try:
                event = self.h11.next_event()
            except h11.RemoteProtocolError as exc:
                raise UpstreamBroken(f"invalid response from the runtime: {exc}") from exc
            if event is not h11.NEED_DATA:
                return event  # type: ignore[return-value]
            try:
                data = await self.reader.read(READ_SIZE)
            except OSError as exc:
                raise UpstreamBroken(str(exc)) from exc
            self.h11.receive_data(data)
            if not data and self.h11.their_state is not h11.DONE:
                raise UpstreamBroken("the runtime closed the connection")

    async def _response(self) -> h11.Response:
        while True:
            event = await self._next_event()
            if isinstance(event, h11.Response):
                return event
            if isinstance(event, h11.InformationalResponse):
                continue
            raise UpstreamBroken(f"unexpected {type(event).__name__} from the runtime")

    async def _body(self) -> AsyncIterator[bytes]:
        while True:
            event = await self._next_event()
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                return
            else:
                raise UpstreamBroken(f"unexpected {type(event).__name__} in the response body")
