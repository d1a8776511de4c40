"""One joined channel on one socket: broadcast, presence, access_token, leave, and shutdown."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import TYPE_CHECKING, Any

from supadesk.keys import Claims
from supadesk.server.realtime import protocol as p
from supadesk.server.realtime import serializer, tokens
from supadesk.server.realtime.authorization import AuthorizationError, Policies, channel_policies
from supadesk.server.realtime.dispatcher import Binding
from supadesk.server.realtime.hub import TopicKey
from supadesk.server.realtime.join_config import JoinConfig
from supadesk.server.realtime.visibility import ClaimsGroup

if TYPE_CHECKING:
    from supadesk.server.realtime.connection import Connection


def claims_group(claims: Claims) -> ClaimsGroup:
    role = str(claims.get("role") or "anon")
    return ClaimsGroup(role, serializer.dumps({**claims, "role": role}), str(claims.get("sub") or ""))


class Channel:
    def __init__(
        self,
        conn: Connection,
        topic: str,
        name: str,
        join_ref: str | None,
        config: JoinConfig,
        token: str,
        claims: Claims,
        policies: Policies | None,
    ) -> None:
        self.conn = conn
        self.service = conn.service
        self.vsn = conn.vsn
        self.topic = topic
        self.name = name
        self.join_ref = join_ref
        self.topic_key: TopicKey = (config.private, name)
        self.self_broadcast = config.self_broadcast
        self.ack_broadcast = config.ack_broadcast
        self.presence_key = config.presence_key or str(uuid.uuid4())
        self.presence_enabled = config.presence_enabled
        self.policies = policies
        self.token = token
        self.claims = claims
        self.claims_group = claims_group(claims)
        self.bindings: list[Binding] = []  # registered with the dispatcher
        self.pending_bindings: list[Binding] = []  # built by the join, registered with the reply
        self.config_bindings: list[dict[str, Any]] = []  # echoed in the join reply
        self.closed = False
        self._change_frame = serializer.raw_frame_parts(self.vsn, topic, p.POSTGRES_CHANGES)
        self._expiry: asyncio.TimerHandle | None = None
        self._schedule_expiry()

    # -- what the hub and dispatcher call ----------------------------------------------------

    @property
    def can_read(self) -> bool:
        return self.policies is None or self.policies.read

    def send_frame(self, frame: str | bytes) -> None:
        self.conn.send_frame(frame)

    def push_change(self, ids: list[int], data_json: str) -> None:
        prefix, suffix = self._change_frame
        ids_json = f"[{ids[0]}]" if len(ids) == 1 else serializer.dumps(ids)
        self.conn.send_frame(f'{prefix}{{"ids":{ids_json},"data":{data_json}}}{suffix}')

    def push(self, event: str, payload: Any, ref: str | None = None) -> None:
        self.conn.send_frame(serializer.encode(self.vsn, self.topic, event, payload, ref, self.join_ref))

    def system(self, extension: str, status: str, message: str) -> None:
        self.push(p.SYSTEM, p.system_payload(self.name, extension, status, message))

    # -- client events -----------------------------------------------------------------------

    async def handle(self, msg: p.Inbound) -> None:
        if msg.event == p.LEAVE:
            self.conn.reply(msg, p.ok())
            self.stop(notify=False)  # Phoenix sends no phx_close after a leave
        elif msg.event == p.BROADCAST:
            if self.conn.count_event(self):
                data = msg.payload.get("payload", {})
                event = msg.payload.get("event")
                if isinstance(event, str):
                    self.broadcast(msg, event, p.JSON_ENCODING, serializer.dumps(data).encode())
        elif msg.event == p.PRESENCE:
            if self.conn.count_event(self):
                await self.presence(msg)
        elif msg.event == p.ACCESS_TOKEN:
            await self.refresh_token(msg.payload.get("access_token"))

    def handle_binary(self, push: p.BroadcastPush) -> None:
        if not self.conn.count_event(self):
            return
        if push.encoding == p.JSON_ENCODING:
            try:
                json.loads(push.data)
            except ValueError:
                return
        msg = p.Inbound(push.join_ref, push.ref, push.topic, p.BROADCAST, {})
        self.broadcast(msg, push.user_event, push.encoding, push.data)

    def broadcast(self, msg: p.Inbound, event: str, encoding: int, data: bytes) -> None:
        if self.policies is not None and not self.policies.write:
            return  # unauthorized writes to a private channel are dropped, as on Supabase
        if len(data) > self.service.config.max_payload_bytes:
            if self.ack_broadcast:
                self.conn.reply(msg, p.error(p.reason("PayloadSizeExceeded", "Payload size exceeded")))
            return
        self.service.hub.broadcast(self.topic_key, event, encoding, data, self, self.self_broadcast)
        if self.ack_broadcast:
            self.conn.reply(msg, p.ok())

    async def presence(self, msg: p.Inbound) -> None:
        event = str(msg.payload.get("event") or "").lower()
        if event == "track":
            if self.policies is not None and not self.policies.write:
                self.conn.reply(msg, p.error(p.reason("Unauthorized", "You do not have permissions to track presence")))
                return
            meta = msg.payload.get("payload", {})
            if not isinstance(meta, dict):
                self.conn.reply(msg, p.error({"reason": "Presence track payload must be a map"}))
                return
            if len(serializer.dumps(meta)) > self.service.config.max_payload_bytes:
                self.stop_with_error("Track message size exceeded")
                return
            self.service.presence_track(self, meta)
            self.conn.reply(msg, p.ok())
            if not self.presence_enabled:
                self.presence_enabled = True
                self.push(p.PRESENCE_STATE, self.service.presence.state(self.topic_key))
        elif event == "untrack":
            self.service.presence_untrack(self)
            self.conn.reply(msg, p.ok())
        else:
            self.conn.reply(msg, p.error({"reason": f"Unknown presence event {event!r}"}))

    async def refresh_token(self, token: Any) -> None:
        if not isinstance(token, str) or not token or token == self.token or token.startswith("sb_"):
            return
        try:
            claims = tokens.verify(self.service.keys, token)
        except tokens.TokenError as exc:
            self.stop_with_error(exc.message)
            return
        if self.policies is not None:
            try:
                policies = await channel_policies(
                    self.service.state.pool, claims, self.name, self.service.config.db_timeout_s
                )
            except AuthorizationError:
                self.stop_with_error("Realtime was unable to connect to the project database")
                return
            if self.policies.read and not policies.read:
                self.stop_with_error(f"You no longer have permission to read from this Channel topic: {self.name}")
                return
            self.policies = policies
        self.token, self.claims, self.claims_group = token, claims, claims_group(claims)
        self._schedule_expiry()

    # -- lifecycle ---------------------------------------------------------------------------

    def _schedule_expiry(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
        exp = self.claims.get("exp")
        if isinstance(exp, int | float):
            delay = max(0.0, float(exp) - time.time())
            self._expiry = asyncio.get_running_loop().call_later(delay, self._expired)

    def _expired(self) -> None:
        if not self.closed:
            seconds = max(0, int(time.time() - float(self.claims.get("exp", 0))))
            self.stop_with_error(f"Token has expired {seconds} seconds ago")

    def stop_with_error(self, message: str) -> None:
        """As the real server's shutdown_response: a `system` error, then the channel closes."""
        if self.closed:
            return
        self.system("system", "error", message)
        self.stop(notify=True)

    def fail(self, message: str) -> None:
        """The channel crashed (e.g. change capture lost): `system` error + `phx_error`; clients rejoin."""
        if self.closed:
            return
        self.system(p.POSTGRES_CHANGES, "error", message)
        self.conn.send_frame(serializer.encode(self.vsn, self.topic, p.ERROR, {}, self.join_ref, self.join_ref))
        self.stop(notify=False)

    def stop(self, notify: bool) -> None:
        if self.closed:
            return
        self.closed = True
        if self._expiry is not None:
            self._expiry.cancel()
        self.service.detach(self)
        self.conn.forget(self)
        if notify:
            self.conn.send_frame(serializer.encode(self.vsn, self.topic, p.CLOSE, {}, self.join_ref, self.join_ref))
