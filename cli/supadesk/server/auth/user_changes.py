"""Changing and deleting users: the writes behind `PUT /user` and the admin endpoints.

Metadata updates merge as GoTrue's do: given keys are set, keys given as null are removed.
A new email also becomes the user's `email` identity, and an anonymous user who gets an email
becomes a permanent one.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg

from supadesk.server.auth import errors
from supadesk.server.auth.users import fetch_user
from supadesk.types import Conn


@dataclass(frozen=True)
class UserChanges:
    email: str | None = None  # normalised new address
    confirm_email: bool = False  # mark the (new) email confirmed
    password_hash: str | None = None
    user_metadata: dict[str, Any] | None = None
    app_metadata: dict[str, Any] | None = None
    role: str | None = None
    set_ban: bool = False
    banned_until: dt.datetime | None = None


_UPDATE = """
update auth.users set
    email = coalesce($2, email),
    email_confirmed_at = case
        when not $3 then email_confirmed_at
        when $2::text is not null and $2 is distinct from email then now()
        else coalesce(email_confirmed_at, now())
    end,
    is_anonymous = case when $2::text is null then is_anonymous else false end,
    encrypted_password = coalesce($4, encrypted_password),
    raw_user_meta_data = case when $5::jsonb is null then raw_user_meta_data
        else (coalesce(raw_user_meta_data, '{}'::jsonb) || $5) - $6::text[] end,
    raw_app_meta_data = (case when $7::jsonb is null then coalesce(raw_app_meta_data, '{}'::jsonb)
        else (coalesce(raw_app_meta_data, '{}'::jsonb) || $7) - $8::text[] end)
        || case when $2::text is null then '{}'::jsonb else jsonb_build_object(
            'provider', coalesce(raw_app_meta_data->>'provider', 'email'),
            'providers', (select jsonb_agg(distinct p) from jsonb_array_elements_text(
                case jsonb_typeof(raw_app_meta_data->'providers') when 'array' then raw_app_meta_data->'providers'
                else '[]'::jsonb end || '["email"]'::jsonb) p)
        ) end,
    role = coalesce($9, role),
    banned_until = case when $10 then $11 else banned_until end,
    updated_at = now()
where id = $1
"""

_UPSERT_EMAIL_IDENTITY = """
insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
values (
    $1::uuid::text, $1::uuid,
    jsonb_build_object('sub', $1::uuid::text, 'email', $2::text, 'email_verified', $3::boolean),
    'email', now(), now()
)
on conflict (provider_id, provider) do update
set identity_data = auth.identities.identity_data || jsonb_build_object('email', $2::text), updated_at = now()
"""

_EMAIL_TAKEN = "select exists (select 1 from auth.users where lower(email) = lower($1) and id <> $2)"


def _split_metadata(update: dict[str, Any] | None) -> tuple[str | None, list[str]]:
    """(JSON of the keys to set, names of the keys to remove)."""
    if update is None:
        return None, []
    kept = {k: v for k, v in update.items() if v is not None}
    return json.dumps(kept), [k for k, v in update.items() if v is None]


async def update_user(conn: Conn, user_id: uuid.UUID, changes: UserChanges) -> asyncpg.Record:
    """Apply `changes` in one transaction and return the user; 422 email_exists on a taken email."""
    user_json, user_removed = _split_metadata(changes.user_metadata)
    app_json, app_removed = _split_metadata(changes.app_metadata)
    try:
        async with conn.transaction():
            if changes.email and await conn.fetchval(_EMAIL_TAKEN, changes.email, user_id):
                raise errors.email_exists()
            await conn.execute(
                _UPDATE,
                user_id,
                changes.email,
                changes.confirm_email,
                changes.password_hash,
                user_json,
                user_removed,
                app_json,
                app_removed,
                changes.role,
                changes.set_ban,
                changes.banned_until,
            )
            if changes.email:
                await conn.execute(_UPSERT_EMAIL_IDENTITY, user_id, changes.email, changes.confirm_email)
            row = await fetch_user(conn, user_id)
    except asyncpg.UniqueViolationError as exc:  # a concurrent request took the email first
        raise errors.email_exists() from exc
    if row is None:
        raise errors.user_not_found(404, "User not found")
    return row


async def delete_user(conn: Conn, user_id: uuid.UUID) -> None:
    """Remove the user; identities, sessions and refresh tokens go with it (foreign keys cascade)."""
    await conn.execute("delete from auth.users where id = $1", user_id)


async def soft_delete_user(conn: Conn, user_id: uuid.UUID) -> None:
    """Keep the row (for foreign keys) but free the email, drop the password, identities and sessions."""
    async with conn.transaction():
        await conn.execute(
            """
            update auth.users
            set deleted_at = coalesce(deleted_at, now()), email = null, phone = null,
                encrypted_password = null, email_change = null, updated_at = now()
            where id = $1
            """,
            user_id,
        )
        await conn.execute("delete from auth.identities where user_id = $1", user_id)
        await conn.execute("delete from auth.sessions where user_id = $1", user_id)
        await conn.execute("delete from auth.refresh_tokens where user_id = $1", str(user_id))
