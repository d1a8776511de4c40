"""Private channels: RLS on `realtime.messages`, probed as Supabase Realtime does (spec §4.8).

In one transaction that is always rolled back: probe rows for the topic are inserted (as the
server), then the subscriber's role and claims are applied with `server.db.apply_scope` plus
`realtime.topic`; the probes it can SELECT back decide *read*, an INSERT inside a savepoint
decides *write*.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import asyncpg

from supadesk.keys import Claims
from supadesk.server.context import context_from_claims
from supadesk.server.db import apply_scope

_PROBE_INSERT = """
insert into realtime.messages (topic, extension, private, event)
select $1, e, true, 'supadesk_probe' from unnest(array['broadcast', 'presence']) as e
returning id
"""
_PROBE_SELECT = "select count(*) from realtime.messages where id = any($1::uuid[])"
_PROBE_WRITE = (
    "insert into realtime.messages (topic, extension, private, event) values ($1, 'broadcast', true, 'supadesk_probe')"
)


@dataclass(frozen=True)
class Policies:
    read: bool
    write: bool


class AuthorizationError(Exception):
    """The database could not answer (down, timeout); joins fail with a retryable error."""


async def channel_policies(pool: asyncpg.Pool, claims: Claims, topic: str, limit_s: float) -> Policies:
    try:
        return await asyncio.wait_for(_probe(pool, claims, topic), limit_s)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        if isinstance(exc, asyncpg.PostgresError) and exc.sqlstate == "42501":
            return Policies(False, False)
        raise AuthorizationError(str(exc)) from exc


async def _probe(pool: asyncpg.Pool, claims: Claims, topic: str) -> Policies:
    ctx = context_from_claims(claims, method="GET", path=f"/realtime/v1/{topic}")
    async with pool.acquire() as conn:
        tx = conn.transaction()
        await tx.start()
        try:
            ids = [r["id"] for r in await conn.fetch(_PROBE_INSERT, topic)]
            await apply_scope(conn, ctx)
            await conn.execute("select set_config('realtime.topic', $1, true)", topic)
            read = bool(await conn.fetchval(_PROBE_SELECT, ids))
            write = True
            try:
                async with conn.transaction():
                    await conn.execute(_PROBE_WRITE, topic)
            except asyncpg.InsufficientPrivilegeError:
                write = False
            return Policies(read, write)
        finally:
            await tx.rollback()
