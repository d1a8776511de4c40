"""`phx_join`: limits, token, private-channel policies, postgres_changes bindings, then the reply.

Subscriptions are registered and the reply is queued in the same synchronous step, so no change
can reach the client before it knows its binding ids; every change committed after the reply is
delivered (the slot predates the join).
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import asyncpg

from supadesk.keys import Claims
from supadesk.server.realtime import filters, tokens
from supadesk.server.realtime import join_config as jc
from supadesk.server.realtime import protocol as p
from supadesk.server.realtime.authorization import AuthorizationError, Policies, channel_policies
from supadesk.server.realtime.channel import Channel
from supadesk.server.realtime.dispatcher import Binding

if TYPE_CHECKING:
    from supadesk.server.realtime.connection import Connection
    from supadesk.server.realtime.service import RealtimeService

DB_UNAVAILABLE = p.reason("UnableToConnectToProject", "Realtime was unable to connect to the project database")


class JoinError(Exception):
    def __init__(self, response: dict[str, str]) -> None:
        super().__init__(response.get("reason"))
        self.response = response


class JoinRateLimiter:
    def __init__(self, per_second: int) -> None:
        self.per_second = per_second
        self._window = 0.0
        self._count = 0

    def allow(self) -> bool:
        now = time.monotonic()
        if now - self._window >= 1.0:
            self._window, self._count = now, 0
        self._count += 1
        return self._count <= self.per_second


async def join(service: RealtimeService, conn: Connection, msg: p.Inbound) -> None:
    name = p.subtopic(msg.topic)
    if name is None:
        conn.reply(msg, p.error({"reason": "unmatched topic"}))
        return
    try:
        channel, problem = await _join(service, conn, msg, name)
    except JoinError as exc:
        conn.reply(msg, p.error(exc.response))
        if exc.response["reason"].startswith("ClientJoinRateLimitReached"):
            conn.close(1008, "too many joins")
        return
    reply: dict[str, object] = {"postgres_changes": channel.config_bindings}
    # register + reply in one synchronous step (see module doc)
    service.attach(channel, bindings=[] if problem else channel.pending_bindings)
    conn.channels[msg.topic] = channel
    conn.reply(msg, p.ok(reply))
    if channel.pending_bindings or problem:
        if problem:
            channel.system(p.POSTGRES_CHANGES, "error", problem)
        else:
            channel.system(p.POSTGRES_CHANGES, "ok", "Subscribed to PostgreSQL")
    if channel.presence_enabled:
        channel.push(p.PRESENCE_STATE, service.presence.state(channel.topic_key))


async def _join(service: RealtimeService, conn: Connection, msg: p.Inbound, name: str) -> tuple[Channel, str | None]:
    if name == "":
        raise JoinError(p.reason("TopicNameRequired", "You must provide a topic name"))
    config = jc.parse(msg.payload)
    limits = service.config
    if not service.join_limiter.allow():
        raise JoinError(p.reason("ClientJoinRateLimitReached", "Too many joins per second"))
    existing = conn.channels.get(msg.topic)
    if existing is not None:
        existing.stop(notify=False)  # a rejoin of the same topic replaces the channel
    if len(conn.channels) >= limits.max_channels_per_connection:
        raise JoinError(p.reason("ChannelRateLimitReached", "Too many channels"))
    if not conn.counted and service.joined_connections >= limits.max_connections:
        raise JoinError(p.reason("ConnectionRateLimitReached", "Too many connected users"))
    token = config.access_token
    if token is None or token.startswith("sb_"):
        token = conn.apikey
    try:
        claims = tokens.verify(service.keys, token)
    except tokens.TokenError as exc:
        raise JoinError(p.reason(exc.code, exc.message)) from exc
    policies = await _policies(service, config, claims, name)
    channel = Channel(conn, msg.topic, name, msg.join_ref, config, token, claims, policies)
    problem = await _bindings(service, channel, config)
    if channel.closed:
        raise JoinError(p.reason("UnknownErrorOnChannel", "channel closed while joining"))
    return channel, problem


async def _policies(service: RealtimeService, config: jc.JoinConfig, claims: Claims, name: str) -> Policies | None:
    if not config.private:
        return None
    try:
        policies = await channel_policies(service.state.pool, claims, name, service.config.db_timeout_s)
    except AuthorizationError as exc:
        raise JoinError(DB_UNAVAILABLE) from exc
    if not policies.read:
        raise JoinError(
            p.reason("Unauthorized", f"You do not have permissions to read from this Channel topic: {name}")
        )
    return policies


async def _refresh_catalog(service: RealtimeService) -> None:
    try:
        await asyncio.wait_for(service.refresh_catalog(), service.config.db_timeout_s)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        raise JoinError(DB_UNAVAILABLE) from exc


async def _bindings(service: RealtimeService, channel: Channel, config: jc.JoinConfig) -> str | None:
    """Build the channel's bindings; returns the system error message when they are invalid."""
    channel.config_bindings = config.reply_bindings()
    if not config.bindings:
        return None
    if not await service.capture.wait_ready(service.config.db_timeout_s):
        raise JoinError(DB_UNAVAILABLE)
    catalog = service.catalog
    if not catalog.tables:
        await _refresh_catalog(service)
    bindings = []
    for spec in config.bindings:
        table = catalog.table(spec.schema, spec.table) if spec.table else None
        if spec.table and table is None:
            await _refresh_catalog(service)
            table = catalog.table(spec.schema, spec.table)
        if (spec.table and table is None) or (not spec.table and not catalog.tables_in(spec.schema)):
            return (
                "Unable to subscribe to changes with given parameters. Please check Realtime is enabled "
                f"for the given connect parameters: [event: {spec.event}, schema: {spec.schema}, "
                f"table: {spec.table or '*'}, filters: [{spec.filter or ''}]]"
            )
        parsed = None
        if spec.filter:
            if table is None:
                return f"Error parsing `filter` params: a filter needs a table ({spec.filter})"
            try:
                parsed = filters.parse(spec.filter, table.type_of)
            except filters.FilterError as exc:
                return str(exc)
        bindings.append(Binding(spec.id, spec.event, spec.schema, spec.table, parsed, channel))
    channel.pending_bindings = bindings
    return None
