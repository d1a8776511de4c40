"""Reading users from `auth.users` and rendering GoTrue's user JSON.

Every statement that returns a user selects USER_COLUMNS over an alias `u` (a table or a
data-modifying CTE), identities included, so one round trip yields a complete user.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import asyncpg

from supadesk.types import Conn

USER_COLUMNS = """
    u.id, u.aud, u.role, u.email, u.phone, u.encrypted_password, u.email_confirmed_at,
    u.phone_confirmed_at, u.confirmed_at, u.invited_at, u.confirmation_sent_at, u.recovery_sent_at,
    u.email_change, u.email_change_sent_at, u.phone_change, u.phone_change_sent_at,
    u.reauthentication_sent_at, u.last_sign_in_at, u.raw_app_meta_data::text as app_metadata,
    u.raw_user_meta_data::text as user_metadata, u.created_at, u.updated_at, u.is_anonymous,
    u.banned_until, u.deleted_at,
    array(
        select (i.id, i.provider_id, i.identity_data::text, i.provider, i.last_sign_in_at,
                i.created_at, i.updated_at, i.email)
        from auth.identities i where i.user_id = u.id order by i.created_at, i.id
    ) as identities
"""

_BY_ID = f"select {USER_COLUMNS} from auth.users u where u.id = $1"
_BY_EMAIL = f"select {USER_COLUMNS} from auth.users u where lower(u.email) = lower($1) and u.deleted_at is null"
_WITH_SESSION = f"""
select {USER_COLUMNS},
       exists (select 1 from auth.sessions s where s.id = $2 and s.user_id = u.id) as has_session
from auth.users u where u.id = $1
"""
# `filter` matches email or display name, as GoTrue's admin list does.
_FILTER = """(
    $1::text is null
    or u.email ilike '%' || $1 || '%'
    or u.raw_user_meta_data->>'full_name' ilike '%' || $1 || '%'
)"""
_LIST = f"select {USER_COLUMNS} from auth.users u where {_FILTER} order by u.created_at desc, u.id limit $2 offset $3"
_COUNT = f"select count(*) from auth.users u where {_FILTER}"


async def fetch_user(conn: Conn | asyncpg.Pool, user_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(_BY_ID, user_id)


async def fetch_user_by_email(conn: Conn | asyncpg.Pool, email: str) -> asyncpg.Record | None:
    return await conn.fetchrow(_BY_EMAIL, email)


async def fetch_user_and_session(
    conn: Conn | asyncpg.Pool, user_id: uuid.UUID, session_id: uuid.UUID | None
) -> asyncpg.Record | None:
    """The user plus `has_session`: whether `session_id` is still one of the user's sessions."""
    return await conn.fetchrow(_WITH_SESSION, user_id, session_id)


async def list_users(
    conn: Conn | asyncpg.Pool, text_filter: str | None, limit: int, offset: int
) -> tuple[list[asyncpg.Record], int]:
    rows = await conn.fetch(_LIST, text_filter, limit, offset)
    total = await conn.fetchval(_COUNT, text_filter)
    return rows, int(total)


# -- JSON ----------------------------------------------------------------------------------------


def timestamp(value: dt.datetime | None) -> str | None:
    """RFC 3339 in UTC with a `Z`, as GoTrue writes times."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def metadata(raw: str | None) -> dict[str, Any]:
    value = json.loads(raw) if raw else {}
    return value if isinstance(value, dict) else {}


def _identity_json(user_id: uuid.UUID, item: tuple[Any, ...]) -> dict[str, Any]:
    identity_id, provider_id, data, provider, last_sign_in_at, created_at, updated_at, email = item
    return {
        "identity_id": str(identity_id),
        "id": provider_id,
        "user_id": str(user_id),
        "identity_data": metadata(data),
        "provider": provider,
        "last_sign_in_at": timestamp(last_sign_in_at),
        "created_at": timestamp(created_at),
        "updated_at": timestamp(updated_at),
        "email": email or "",
    }


_OPTIONAL_TIMES = (
    "email_confirmed_at",
    "phone_confirmed_at",
    "confirmation_sent_at",
    "confirmed_at",
    "recovery_sent_at",
    "email_change_sent_at",
    "phone_change_sent_at",
    "reauthentication_sent_at",
    "last_sign_in_at",
    "invited_at",
)


def user_json(row: asyncpg.Record) -> dict[str, Any]:
    """GoTrue's user object: always-present fields, then the optional ones only when set."""
    user: dict[str, Any] = {
        "id": str(row["id"]),
        "aud": row["aud"] or "",
        "role": row["role"] or "",
        "email": row["email"] or "",
        "phone": row["phone"] or "",
    }
    for name in _OPTIONAL_TIMES:
        if row[name] is not None:
            user[name] = timestamp(row[name])
    if row["email_change"]:
        user["new_email"] = row["email_change"]
    if row["phone_change"]:
        user["new_phone"] = row["phone_change"]
    user["app_metadata"] = metadata(row["app_metadata"])
    user["user_metadata"] = metadata(row["user_metadata"])
    user["identities"] = [_identity_json(row["id"], item) for item in row["identities"] or ()]
    user["created_at"] = timestamp(row["created_at"])
    user["updated_at"] = timestamp(row["updated_at"])
    if row["banned_until"] is not None:
        user["banned_until"] = timestamp(row["banned_until"])
    if row["deleted_at"] is not None:
        user["deleted_at"] = timestamp(row["deleted_at"])
    user["is_anonymous"] = bool(row["is_anonymous"])
    return user


def is_banned(row: asyncpg.Record) -> bool:
    banned_until: dt.datetime | None = row["banned_until"]
    return banned_until is not None and banned_until > dt.datetime.now(dt.UTC)
