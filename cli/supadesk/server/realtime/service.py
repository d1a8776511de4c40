"""The Realtime service of one server process: wiring, lifecycle and the socket entry point.

Owns the hub (broadcast), the presence table, the change capture and dispatcher, the cluster bus
and the connections; `notify_commit()` is the cheap hook other surfaces call after a write commits
(exposed as `state.extras["realtime"]`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any
from urllib.parse import parse_qs

import asyncpg
from starlette.types import Receive, Scope, Send

from supadesk.server.realtime import cluster as bus
from supadesk.server.realtime import protocol as p
from supadesk.server.realtime import serializer, tokens
from supadesk.server.realtime.capture import Capture
from supadesk.server.realtime.catalog import Catalog
from supadesk.server.realtime.channel import Channel
from supadesk.server.realtime.config import RealtimeConfig
from supadesk.server.realtime.connection import Connection
from supadesk.server.realtime.dispatcher import Dispatcher
from supadesk.server.realtime.hub import Hub, TopicKey
from supadesk.server.realtime.join import JoinRateLimiter, join
from supadesk.server.realtime.pgoutput import RowChange
from supadesk.server.realtime.presence import Diff, Meta, PresenceTable
from supadesk.server.realtime.visibility import VisibilityChecker, connection_lost
from supadesk.server.surface import ServerState

log = logging.getLogger("supadesk.realtime")

DELIVERY_FAILED = "Realtime could not deliver some changes; rejoin and catch up"
_HEARTBEAT_S = 5.0
_NODE_EXPIRY_S = 15.0


class RealtimeService:
    def __init__(self, state: ServerState, config: RealtimeConfig | None = None) -> None:
        self.state = state
        self.keys = state.keys
        self.config = config or RealtimeConfig.from_env()
        self.hub = Hub()
        self.presence = PresenceTable()
        self.catalog = Catalog()
        self.checker = VisibilityChecker(state.db_url, self.config.db_timeout_s, self.config.rls_connections)
        self.dispatcher = Dispatcher(self.catalog, self.checker, self.config.max_record_bytes)
        self.capture = Capture(
            state.db_url,
            self.config,
            self._on_changes,
            self._on_capture_lost,
            wanted=lambda rel: self.dispatcher.wants(rel.schema, rel.name),
        )
        self.join_limiter = JoinRateLimiter(self.config.max_joins_per_second)
        self.connections: set[Connection] = set()
        self.bus: bus.ClusterBus | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._last_poke = 0.0

    @property
    def joined_connections(self) -> int:
        return sum(1 for c in self.connections if c.counted)

    # -- lifecycle ---------------------------------------------------------------------------

    async def startup(self) -> None:
        with contextlib.suppress(Exception):
            await self.refresh_catalog()
        self.capture.start()
        target = self.config.redis_target
        if target is not None:
            namespace = await self._database_identity()
            candidate = bus.ClusterBus(target[0], target[1], self._on_bus, namespace)
            if await candidate.start():
                self.bus = candidate
                self.hub.publish = self._publish_broadcast
        self._spawn(self._housekeeping())
        await self.capture.wait_ready(10.0)

    async def shutdown(self) -> None:
        for connection in list(self.connections):
            connection.close(1001, "server shutting down")
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(asyncio.gather(*self._tasks, return_exceptions=True), 2.0)
        if self.bus is not None:
            await self.bus.stop()
        await self.capture.stop()
        await self.checker.close()

    def _spawn(self, coro: Any) -> None:
        task: asyncio.Task[None] = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _database_identity(self) -> str:
        """Processes share the bus only with processes serving the same database."""
        try:
            async with self.state.pool.acquire() as conn:
                row = await conn.fetchrow(
                    "select system_identifier::text as id, current_database() as db from pg_control_system()"
                )
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            row = None
        return f"{row['id']}:{row['db']}" if row is not None else self.state.db_url

    async def refresh_catalog(self) -> None:
        async with self.state.pool.acquire() as conn:
            await self.catalog.refresh(conn)

    def notify_commit(self) -> None:
        """Call after a write transaction committed: decode now (here and on the other processes)."""
        self.capture.notify_commit()
        now = time.monotonic()
        if self.bus is not None and now - self._last_poke > 0.002:
            self._last_poke = now
            self.bus.publish("c", {})

    # -- sockets -----------------------------------------------------------------------------

    async def websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = await receive()
        if message["type"] != "websocket.connect":
            return
        params = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        apikey = headers.get("x-api-key") or (params.get("apikey") or [None])[0]
        vsn = (params.get("vsn") or [serializer.V1])[0]
        claims, problem = tokens.handshake_error(self.keys, apikey)
        if problem is None and vsn not in serializer.VERSIONS:
            problem = f"Unsupported serializer version {vsn!r}"
        if problem is not None or claims is None or apikey is None:
            await _deny(scope, send, 401 if vsn in serializer.VERSIONS else 400, problem or "API key is missing")
            return
        await send({"type": "websocket.accept"})
        connection = Connection(self, vsn, apikey, claims, send)
        self.connections.add(connection)
        try:
            await connection.run(receive)
        finally:
            self.connections.discard(connection)

    async def join(self, conn: Connection, msg: p.Inbound) -> None:
        await join(self, conn, msg)

    def attach(self, channel: Channel, bindings: list[Any]) -> None:
        channel.conn.counted = True
        self.hub.add(channel)
        channel.bindings = bindings
        for binding in bindings:
            self.dispatcher.add(binding)

    def detach(self, channel: Channel) -> None:
        self.hub.remove(channel)
        self.dispatcher.remove(channel.bindings)
        channel.bindings = []
        self.presence_untrack(channel)

    def disconnected(self, conn: Connection) -> None:
        self.connections.discard(conn)

    # -- presence ----------------------------------------------------------------------------

    def presence_track(self, channel: Channel, meta: Meta) -> None:
        diff = self.presence.track(channel.topic_key, id(channel), channel.presence_key, meta)
        self._presence_diff(channel.topic_key, diff)

    def presence_untrack(self, channel: Channel) -> None:
        diff = self.presence.untrack(channel.topic_key, id(channel))
        if diff:
            self._presence_diff(channel.topic_key, diff)

    def _presence_diff(self, topic: TopicKey, diff: Diff, remote: bool = False) -> None:
        payload = diff.payload()
        for member in self.hub.members(topic):
            if isinstance(member, Channel) and member.can_read:
                member.push(p.PRESENCE_DIFF, payload)
        if not remote and self.bus is not None:
            self.bus.publish("p", {"t": list(topic), "j": diff.joins, "l": diff.leaves})

    # -- change capture ----------------------------------------------------------------------

    async def _on_changes(self, changes: list[RowChange]) -> None:
        try:
            await self.dispatcher.dispatch(changes)
        except Exception as exc:
            # The batch is consumed from the slot: tell every subscriber instead of skipping it.
            if connection_lost(exc):
                log.warning("postgres_changes dispatch lost the database (%s)", exc)
            else:
                log.exception("postgres_changes dispatch failed for a batch of %d changes", len(changes))
            self._fail_subscribers(DELIVERY_FAILED)

    def _on_capture_lost(self, message: str) -> None:
        self._fail_subscribers(message)

    def _fail_subscribers(self, message: str) -> None:
        for subscriber in self.dispatcher.subscribers():
            if isinstance(subscriber, Channel):
                subscriber.fail(message)

    # -- cluster bus -------------------------------------------------------------------------

    def _publish_broadcast(self, key: TopicKey, event: str, encoding: int, data: bytes) -> None:
        assert self.bus is not None
        self.bus.publish("b", {"t": list(key), "e": event, "c": encoding, "d": bus.encode_bytes(data)})

    def _on_bus(self, kind: str, message: dict[str, Any]) -> None:
        if kind == "connected":
            self._send_snapshot(request=True)
            return
        node = str(message.get("n"))
        if kind == "c":
            self.capture.notify_commit()
        elif kind == "b":
            key = (bool(message["t"][0]), str(message["t"][1]))
            data = bus.decode_bytes(message["d"])
            self.hub.broadcast(key, str(message["e"]), int(message["c"]), data, local_only=True)
        elif kind == "p":
            key = (bool(message["t"][0]), str(message["t"][1]))
            diff = Diff(
                {r: (k, m) for r, (k, m) in message["j"].items()}, {r: (k, m) for r, (k, m) in message["l"].items()}
            )
            self.presence.apply_remote_diff(node, key, diff)
            self._presence_diff(key, diff, remote=True)
        elif kind in ("h", "s"):
            snapshot = {
                (bool(t[0]), str(t[1])): {r: (k, m) for r, (k, m) in entries.items()}
                for t, entries in message.get("s", [])
            }
            for key, diff in self.presence.apply_remote_snapshot(node, snapshot).items():
                self._presence_diff(key, diff, remote=True)
            if kind == "s" and message.get("r"):
                self._send_snapshot(request=False)

    def _send_snapshot(self, request: bool) -> None:
        if self.bus is None:
            return
        snapshot = [[list(topic), entries] for topic, entries in self.presence.snapshot().items()]
        self.bus.publish("s" if request else "h", {"s": snapshot, "r": request})

    async def _housekeeping(self) -> None:
        while True:
            await asyncio.sleep(_HEARTBEAT_S)
            self._send_snapshot(request=False)
            for key, diff in self.presence.expire(_NODE_EXPIRY_S).items():
                self._presence_diff(key, diff, remote=True)
            cutoff = time.monotonic() - self.config.idle_timeout_s
            for connection in list(self.connections):
                if connection.last_seen < cutoff:
                    connection.close(1000, "heartbeat timeout")


async def _deny(scope: Scope, send: Send, status: int, message: str) -> None:
    body = serializer.dumps({"error": message}).encode()
    if "websocket.http.response" in scope.get("extensions", {}):
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "websocket.http.response.start", "status": status, "headers": headers})
        await send({"type": "websocket.http.response.body", "body": body})
    else:
        await send({"type": "websocket.close", "code": 1008})
