"""Creating auth users the way GoTrue does (auth.users + auth.identities, bcrypt password).

Shared by `supadesk admin create`, the demo seed and the /auth/v1 surface, so an agent made by the
CLI and one made through `/auth/v1/admin/users` are the same kind of user.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg
import bcrypt

BCRYPT_COST = 10  # GoTrue stores $2a$10$ hashes


class AccountError(Exception):
    """A user mistake with a machine code (e.g. `email_exists`) and a sentence."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(BCRYPT_COST)).decode()


def check_password(password: str, hashed: str | None) -> bool:
    if not hashed:
        return False
    try:
        return bcrypt.checkpw(password.encode(), hashed.encode())
    except ValueError:
        return False


@dataclass(frozen=True)
class NewUser:
    email: str | None
    password_hash: str | None
    user_metadata: dict[str, Any]
    app_metadata: dict[str, Any]
    is_anonymous: bool = False
    email_confirmed: bool = True
    user_id: uuid.UUID | None = None


_INSERT_USER = """
insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at, is_anonymous
) values (
    '00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, $3,
    case when $4 then now() end, $5::jsonb, $6::jsonb, false, now(), now(), $7
)
returning *
"""

_INSERT_IDENTITY = """
insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
values ($1::uuid::text, $1::uuid, $2::jsonb, 'email', now(), now())
"""


async def create_user(conn: asyncpg.Connection, user: NewUser) -> asyncpg.Record:
    """Insert the user (and its email identity); raises AccountError('email_exists') on a duplicate."""
    user_id = user.user_id or uuid.uuid4()
    app_metadata = dict(user.app_metadata)
    if user.email and not user.is_anonymous:
        app_metadata.setdefault("provider", "email")
        app_metadata.setdefault("providers", ["email"])
    async with conn.transaction():
        if user.email and await conn.fetchval(
            "select exists (select 1 from auth.users where lower(email) = lower($1))", user.email
        ):
            raise AccountError("email_exists", f"A user with email {user.email} already exists")
        row = await conn.fetchrow(
            _INSERT_USER,
            user_id,
            user.email.lower() if user.email else None,
            user.password_hash,
            user.email_confirmed,
            json.dumps(app_metadata),
            json.dumps(user.user_metadata),
            user.is_anonymous,
        )
        if user.email:
            identity = {"sub": str(user_id), "email": user.email.lower(), "email_verified": user.email_confirmed}
            await conn.execute(_INSERT_IDENTITY, user_id, json.dumps(identity))
    assert row is not None
    return row


async def create_agent(
    conn: asyncpg.Connection, email: str, password: str, display_name: str, role: str = "agent"
) -> uuid.UUID:
    """An auth user plus its `public.users` row (agent or admin)."""
    async with conn.transaction():
        row = await create_user(
            conn,
            NewUser(
                email=email,
                password_hash=hash_password(password),
                user_metadata={"display_name": display_name},
                app_metadata={},
            ),
        )
        await conn.execute(
            "insert into public.users (id, email, display_name, role) values ($1, $2, $3, $4)",
            row["id"],
            email.lower(),
            display_name,
            role,
        )
    user_id: uuid.UUID = row["id"]
    return user_id
