"""Sessions (`auth.sessions`) and their opaque, rotating refresh tokens (`auth.refresh_tokens`).

Issuing and rotating are single statements (data-modifying CTEs) that also return the complete
user, so a sign-in or a refresh costs one round trip.  Rotation only revokes a token that is not
revoked yet, which also serialises two refreshes racing with the same token: the loser finds it
revoked and takes the reuse path.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

import asyncpg

from supadesk.server.auth.users import USER_COLUMNS
from supadesk.types import Conn

INSTANCE_ID = "00000000-0000-0000-0000-000000000000"


def new_refresh_token() -> str:
    return secrets.token_urlsafe(24)


_ISSUE = f"""
with u as (
    update auth.users set last_sign_in_at = now() where id = $1 returning *
), s as (
    insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
    select gen_random_uuid(), u.id, now(), now(), 'aal1', $3, $4::inet from u
    returning id, created_at
), rt as (
    insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, session_id)
    select '{INSTANCE_ID}', $2, $1::text, false, now(), now(), s.id from s
    returning token
)
select {USER_COLUMNS}, s.id as session_id, s.created_at as session_created_at, rt.token as refresh_token
from u cross join s cross join rt
"""

_ROTATE = f"""
with old as (
    update auth.refresh_tokens set revoked = true, updated_at = now()
    where token = $1 and not revoked and session_id is not null
    returning session_id
), s as (
    update auth.sessions ss set updated_at = now(), refreshed_at = timezone('utc', now())
    from old where ss.id = old.session_id
    returning ss.id, ss.user_id, ss.created_at, ss.not_after
), rt as (
    insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
    select '{INSTANCE_ID}', $2, s.user_id::text, false, now(), now(), $1, s.id from s
    returning token
)
select {USER_COLUMNS}, s.id as session_id, s.created_at as session_created_at, s.not_after,
       rt.token as refresh_token
from s join auth.users u on u.id = s.user_id cross join rt
"""

_INSPECT = """
select revoked, session_id, now() - updated_at < make_interval(secs => $2) as within_reuse_interval
from auth.refresh_tokens where token = $1
"""

_ACTIVE = f"""
select {USER_COLUMNS}, s.id as session_id, s.created_at as session_created_at, s.not_after,
       rt.token as refresh_token
from auth.refresh_tokens rt
join auth.sessions s on s.id = rt.session_id
join auth.users u on u.id = s.user_id
where rt.session_id = $1 and not rt.revoked
order by rt.id desc
limit 1
"""


@dataclass(frozen=True)
class UsedToken:
    revoked: bool
    session_id: uuid.UUID | None
    within_reuse_interval: bool


async def issue(
    conn: Conn | asyncpg.Pool, user_id: uuid.UUID, ip: str | None, user_agent: str | None
) -> asyncpg.Record | None:
    """A new session + refresh token; returns user columns, `session_id`, `session_created_at`,
    `refresh_token` (None if the user vanished meanwhile).  Also stamps `last_sign_in_at`."""
    return await conn.fetchrow(_ISSUE, user_id, new_refresh_token(), user_agent, ip)


async def rotate(conn: Conn, token: str) -> asyncpg.Record | None:
    """Revoke `token` and issue its child; None when `token` is unknown or already revoked."""
    return await conn.fetchrow(_ROTATE, token, new_refresh_token())


async def inspect(conn: Conn, token: str, reuse_interval: int) -> UsedToken | None:
    row = await conn.fetchrow(_INSPECT, token, float(reuse_interval))
    if row is None:
        return None
    return UsedToken(row["revoked"], row["session_id"], bool(row["within_reuse_interval"]))


async def active_token(conn: Conn, session_id: uuid.UUID) -> asyncpg.Record | None:
    """The session's current (unrevoked) refresh token with its user, as `rotate` returns them."""
    return await conn.fetchrow(_ACTIVE, session_id)


async def end_session(conn: Conn | asyncpg.Pool, session_id: uuid.UUID) -> None:
    """Delete the session; its refresh tokens go with it (foreign key cascade)."""
    await conn.execute("delete from auth.sessions where id = $1", session_id)


async def end_other_sessions(conn: Conn | asyncpg.Pool, user_id: uuid.UUID, keep: uuid.UUID | None) -> None:
    await conn.execute("delete from auth.sessions where user_id = $1 and id is distinct from $2", user_id, keep)


async def end_all_sessions(conn: Conn | asyncpg.Pool, user_id: uuid.UUID) -> None:
    """Every session of the user, and any refresh token not tied to a session."""
    await conn.execute(
        "with s as (delete from auth.sessions where user_id = $1) delete from auth.refresh_tokens where user_id = $2",
        user_id,
        str(user_id),
    )
