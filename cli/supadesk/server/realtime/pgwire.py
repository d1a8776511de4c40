"""A minimal PostgreSQL wire-protocol client with one job: a logical replication connection.

asyncpg cannot speak the copy-both sub-protocol that START_REPLICATION switches to, so the
change capture opens this connection itself: startup with `replication=database` over TCP or a
Unix socket (TLS when the URL's `sslmode` asks for it, or when the server offers it), password
authentication (trust, cleartext, md5, SCRAM-SHA-256), simple queries, then the stream.

Incoming messages are queued by the protocol; reading pauses while more than `high_water`
messages wait, so a large backlog is held back by TCP instead of filling memory.
"""

from __future__ import annotations

import asyncio
import collections
import os
import ssl
import struct
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from supadesk.server.realtime.scram import MECHANISM, ScramClient, md5_password

_HEADER = struct.Struct("!cI")
_SSL_REQUEST = struct.pack("!II", 8, 80877103)
_PROTOCOL_3 = 196608


class PgError(Exception):
    """An ErrorResponse from the server (or a protocol violation when `fields` is empty)."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or {}

    @property
    def sqlstate(self) -> str:
        return self.fields.get("C", "")


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    user: str
    password: str | None
    database: str
    sslmode: str


def parse_url(url: str) -> Target:
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    host = unquote(parts.hostname or "") or query.get("host", "") or "/var/run/postgresql"
    user = unquote(parts.username or "") or os.environ.get("PGUSER", "") or "postgres"
    password = unquote(parts.password) if parts.password else os.environ.get("PGPASSWORD")
    database = unquote(parts.path.lstrip("/")) or user
    return Target(host, parts.port or 5432, user, password, database, query.get("sslmode", "prefer"))


def _error_fields(body: bytes) -> dict[str, str]:
    fields = {}
    for item in body.split(b"\0"):
        if item:
            fields[chr(item[0])] = item[1:].decode(errors="replace")
    return fields


class _Protocol(asyncio.Protocol):
    def __init__(self, high_water: int) -> None:
        self.messages: collections.deque[tuple[bytes, bytes]] = collections.deque()
        self.high_water = high_water
        self.transport: Any = None
        self.closed: BaseException | None = None
        self.ssl_answer: asyncio.Future[bytes] | None = None
        self._arrived = asyncio.Event()
        self._buf = bytearray()
        self._paused = False

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self.ssl_answer is not None and not self.ssl_answer.done():
            self.ssl_answer.set_result(data[:1])
            return
        buf = self._buf
        buf += data
        pos, size = 0, len(buf)
        while size - pos >= 5:
            kind, length = _HEADER.unpack_from(buf, pos)
            if size - pos < 1 + length:
                break
            self.messages.append((kind, bytes(buf[pos + 5 : pos + 1 + length])))
            pos += 1 + length
        if pos:
            del buf[:pos]
            self._arrived.set()
            if len(self.messages) > self.high_water and not self._paused:
                self._paused = True
                self.transport.pause_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = exc or ConnectionResetError("the database closed the connection")
        if self.ssl_answer is not None and not self.ssl_answer.done():
            self.ssl_answer.set_exception(self.closed)
        self._arrived.set()

    async def read(self) -> tuple[bytes, bytes]:
        while not self.messages:
            if self.closed is not None:
                raise self.closed
            self._arrived.clear()
            await self._arrived.wait()
        message = self.messages.popleft()
        if self._paused and len(self.messages) < self.high_water // 2:
            self._paused = False
            self.transport.resume_reading()
        return message

    async def hold(self, seconds: float) -> None:
        if self._paused or self.closed is not None:
            await asyncio.sleep(seconds)
            return
        self._paused = True
        self.transport.pause_reading()
        try:
            await asyncio.sleep(seconds)
        finally:
            if self._paused and len(self.messages) < self.high_water // 2 and self.closed is None:
                self._paused = False
                self.transport.resume_reading()

    def take_ready(self, limit: int) -> list[tuple[bytes, bytes]]:
        """Up to `limit` messages already received, without waiting."""
        out: list[tuple[bytes, bytes]] = []
        while self.messages and len(out) < limit:
            out.append(self.messages.popleft())
        if self._paused and len(self.messages) < self.high_water // 2:
            self._paused = False
            self.transport.resume_reading()
        return out


class WireConnection:
    def __init__(self, protocol: _Protocol) -> None:
        self._protocol = protocol

    @classmethod
    async def connect(
        cls, url: str, params: dict[str, str], timeout_s: float, high_water: int = 10_000
    ) -> WireConnection:
        target = parse_url(url)
        connection = await asyncio.wait_for(cls._open(target, high_water), timeout_s)
        try:
            await asyncio.wait_for(connection._startup(target, params), timeout_s)
        except BaseException:
            connection.close()
            raise
        return connection

    @staticmethod
    async def _open(target: Target, high_water: int) -> WireConnection:
        loop = asyncio.get_running_loop()
        protocol = _Protocol(high_water)
        if target.host.startswith("/"):
            path = f"{target.host}/.s.PGSQL.{target.port}"
            await loop.create_unix_connection(lambda: protocol, path)
            return WireConnection(protocol)
        await loop.create_connection(lambda: protocol, target.host, target.port)
        if target.sslmode == "disable":
            return WireConnection(protocol)
        protocol.ssl_answer = loop.create_future()
        protocol.transport.write(_SSL_REQUEST)
        answer = await protocol.ssl_answer
        protocol.ssl_answer = None
        if answer == b"S":
            context = ssl.create_default_context()
            if target.sslmode not in ("verify-ca", "verify-full"):
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            protocol.transport = await loop.start_tls(
                protocol.transport, protocol, context, server_hostname=target.host
            )
        elif target.sslmode in ("require", "verify-ca", "verify-full"):
            protocol.transport.close()
            raise PgError("the server does not accept TLS connections")
        return WireConnection(protocol)

    # -- messages ----------------------------------------------------------------------------

    def write(self, kind: bytes, body: bytes) -> None:
        self._protocol.transport.write(kind + struct.pack("!I", len(body) + 4) + body)

    async def read(self) -> tuple[bytes, bytes]:
        while True:
            kind, body = await self._protocol.read()
            if kind == b"E":
                fields = _error_fields(body)
                raise PgError(fields.get("M", "database error"), fields)
            if kind not in (b"N", b"S"):  # notices and parameter changes are not needed here
                return kind, body

    def take_ready(self, limit: int) -> list[tuple[bytes, bytes]]:
        return self._protocol.take_ready(limit)

    async def hold(self, seconds: float) -> None:
        """Stop reading for a while: what arrives meanwhile is read at once, in one go."""
        await self._protocol.hold(seconds)

    def close(self) -> None:
        transport = self._protocol.transport
        if transport is not None and not transport.is_closing():
            try:
                self.write(b"X", b"")
            finally:
                transport.close()

    # -- startup and queries ---------------------------------------------------------------------

    async def _startup(self, target: Target, params: dict[str, str]) -> None:
        pairs = {"user": target.user, "database": target.database, **params}
        body = struct.pack("!I", _PROTOCOL_3) + b"".join(
            k.encode() + b"\0" + v.encode() + b"\0" for k, v in pairs.items()
        )
        body += b"\0"
        self._protocol.transport.write(struct.pack("!I", len(body) + 4) + body)
        scram: ScramClient | None = None
        while True:
            kind, body = await self.read()
            if kind == b"Z":
                return
            if kind != b"R":
                continue  # BackendKeyData
            code = struct.unpack_from("!I", body)[0]
            if code == 0:
                continue
            if target.password is None:
                raise PgError("the database asks for a password and the URL has none")
            if code == 3:
                self.write(b"p", target.password.encode() + b"\0")
            elif code == 5:
                self.write(b"p", md5_password(target.user, target.password, body[4:8]) + b"\0")
            elif code == 10:
                if MECHANISM.encode() not in body[4:].split(b"\0"):
                    raise PgError("no supported SASL mechanism")
                scram = ScramClient(target.password)
                first = scram.first_message()
                self.write(b"p", MECHANISM.encode() + b"\0" + struct.pack("!I", len(first)) + first)
            elif code == 11 and scram is not None:
                self.write(b"p", scram.final_message(body[4:]))
            elif code == 12 and scram is not None:
                scram.verify(body[4:])
            else:
                raise PgError(f"unsupported authentication request {code}")

    async def query(self, sql: str) -> list[list[str | None]]:
        """A simple query; the text values of its rows."""
        self.write(b"Q", sql.encode() + b"\0")
        rows: list[list[str | None]] = []
        error: PgError | None = None
        while True:
            try:
                kind, body = await self.read()
            except PgError as exc:
                error = exc  # the server still sends ReadyForQuery
                continue
            if kind == b"D":
                rows.append(_data_row(body))
            elif kind == b"Z":
                if error is not None:
                    raise error
                return rows

    async def start_copy_both(self, sql: str) -> None:
        self.write(b"Q", sql.encode() + b"\0")
        while True:
            kind, _ = await self.read()
            if kind == b"W":
                return


def _data_row(body: bytes) -> list[str | None]:
    (count,) = struct.unpack_from("!H", body)
    pos = 2
    values: list[str | None] = []
    for _ in range(count):
        (length,) = struct.unpack_from("!i", body, pos)
        pos += 4
        if length < 0:
            values.append(None)
        else:
            values.append(body[pos : pos + length].decode())
            pos += length
    return values
