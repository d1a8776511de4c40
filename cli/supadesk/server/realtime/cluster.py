"""The cluster bus: broadcast, presence and commit pokes between server processes, over Redis.

Why Redis pub/sub and not PostgreSQL NOTIFY: every transaction that sends a NOTIFY takes a global
lock at commit (per-row NOTIFY cut inserts to 0.36× here), payloads are capped at 8,000 bytes, and
typing indicators or presence heartbeats would load the database that serves the writes. Redis
pub/sub is in memory, off the write path, and already runs on this machine. Without Redis (none
answering, or `SUPADESK_REDIS_URL=off`) a process works alone; postgres_changes never needs the
bus (each process decodes its own slot).

Messages are JSON on one channel per database (named after PostgreSQL's system identifier and the
database name, so servers of other databases sharing the Redis never hear each other); each
carries the sender's node id and is ignored by its sender.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import secrets
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger("supadesk.realtime.cluster")

CHANNEL_PREFIX = "supadesk:realtime:v1:"
Handler = Callable[[str, dict[str, Any]], None]


def encode_bytes(data: bytes) -> str:
    return base64.b64encode(data).decode()


def decode_bytes(text: str) -> bytes:
    return base64.b64decode(text)


class ClusterBus:
    def __init__(self, url: str, explicit: bool, on_message: Handler, namespace: str) -> None:
        self.url = url
        self.channel = CHANNEL_PREFIX + namespace
        self.explicit = explicit
        self.node = secrets.token_hex(8)
        self.on_message = on_message
        self.connected = False
        self._client: aioredis.Redis | None = None
        self._task: asyncio.Task[None] | None = None
        self._outbox: asyncio.Queue[str] = asyncio.Queue(maxsize=100_000)
        self._sender: asyncio.Task[None] | None = None

    async def start(self) -> bool:
        """Connect; False (bus off) when Redis does not answer and was not asked for explicitly."""
        self._client = aioredis.from_url(self.url, socket_connect_timeout=1)  # type: ignore[no-untyped-call]
        try:
            await asyncio.wait_for(self._client.ping(), 2)
        except (RedisError, OSError, TimeoutError) as exc:
            if not self.explicit:
                log.info("no Redis at %s (%s): broadcast/presence stay within this process", self.url, exc)
                await self._client.aclose()
                self._client = None
                return False
            log.error("Redis at %s does not answer (%s); retrying in the background", self.url, exc)
        self._task = asyncio.create_task(self._listen(), name="realtime-cluster-listen")
        self._sender = asyncio.create_task(self._send_loop(), name="realtime-cluster-send")
        return True

    async def stop(self) -> None:
        for task in (self._task, self._sender):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self._client is not None:
            with contextlib.suppress(RedisError, OSError):
                await self._client.aclose()

    def publish(self, kind: str, body: dict[str, Any]) -> None:
        """Queue a message (never blocks the caller; dropped with a warning if Redis is stuck)."""
        if self._client is None:
            return
        try:
            self._outbox.put_nowait(json.dumps({"n": self.node, "k": kind, **body}, separators=(",", ":")))
        except asyncio.QueueFull:
            log.warning("cluster bus outbox full; dropping a %s message", kind)

    async def _send_loop(self) -> None:
        assert self._client is not None
        while True:
            message = await self._outbox.get()
            batch = [message]
            while not self._outbox.empty() and len(batch) < 512:
                batch.append(self._outbox.get_nowait())
            try:
                async with self._client.pipeline(transaction=False) as pipe:
                    for item in batch:
                        pipe.publish(self.channel, item)
                    await pipe.execute()
            except (RedisError, OSError) as exc:
                log.warning("cluster bus publish failed: %s", exc)
                await asyncio.sleep(0.5)

    async def _listen(self) -> None:
        assert self._client is not None
        while True:
            try:
                async with self._client.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    self.connected = True
                    self.on_message("connected", {})
                    async for item in pubsub.listen():
                        if item.get("type") != "message":
                            continue
                        self._deliver(item["data"])
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                self.connected = False
                log.warning("cluster bus connection lost: %s; retrying", exc)
                await asyncio.sleep(1.0)

    def _deliver(self, raw: bytes | str) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            return
        if not isinstance(message, dict) or message.get("n") == self.node:
            return
        try:
            self.on_message(str(message.get("k")), message)
        except Exception:
            log.exception("cluster bus handler failed")
