"""`/admin/users`: create, list, get, update and delete users with a service_role token.

Created users are the same kind `supadesk admin create` makes (`accounts.create_user`): email
identity, `{"provider": "email", "providers": ["email"]}` plus the given app_metadata.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any
from urllib.parse import urlencode

import asyncpg
from starlette.requests import Request
from starlette.responses import Response

from supadesk.accounts import AccountError, NewUser, create_user
from supadesk.server.auth import errors, validation
from supadesk.server.auth.deps import AuthDeps, as_connection, hash_password_async
from supadesk.server.auth.guard import require_admin
from supadesk.server.auth.http import Body, json_response, read_body
from supadesk.server.auth.sessions import end_all_sessions
from supadesk.server.auth.tokens import AUDIENCE
from supadesk.server.auth.user_changes import UserChanges, delete_user, soft_delete_user, update_user
from supadesk.server.auth.users import fetch_user, list_users, user_json

DEFAULT_PER_PAGE = 50


async def create(deps: AuthDeps, request: Request) -> Response:
    require_admin(deps, request)
    body = await read_body(request)
    if not body.text("email"):
        if body.text("phone"):
            raise errors.phone_provider_disabled("users")
        raise errors.validation_failed("Cannot create a user without either an email or phone")
    user_id = _optional_id(body)
    changes = await _admin_changes(deps, body)
    new_user = NewUser(
        email=changes.email,
        password_hash=changes.password_hash,
        user_metadata=changes.user_metadata or {},
        app_metadata=changes.app_metadata or {},
        email_confirmed=changes.confirm_email,
        user_id=user_id,
    )
    async with deps.pool.acquire() as conn, conn.transaction():
        try:
            created = await create_user(as_connection(conn), new_user)
        except (AccountError, asyncpg.UniqueViolationError) as exc:
            raise errors.email_exists() from exc
        # role and ban are what create_user does not know about; update_user also re-reads the user.
        extra = UserChanges(role=changes.role, set_ban=changes.set_ban, banned_until=changes.banned_until)
        row = await update_user(conn, created["id"], extra)
    return json_response(user_json(row))


async def list_(deps: AuthDeps, request: Request) -> Response:
    require_admin(deps, request)
    page = _positive_int(request, "page", 1)
    per_page = _positive_int(request, "per_page", DEFAULT_PER_PAGE)
    text_filter = request.query_params.get("filter") or None
    rows, total = await list_users(deps.pool, text_filter, per_page, (page - 1) * per_page)
    headers = {"x-total-count": str(total)}
    link = _link_header(deps, page, per_page, total, text_filter)
    if link:
        headers["link"] = link
    return json_response({"users": [user_json(row) for row in rows], "aud": AUDIENCE}, headers=headers)


async def get(deps: AuthDeps, request: Request) -> Response:
    require_admin(deps, request)
    row = await fetch_user(deps.pool, validation.user_id(request.path_params["id"]))
    if row is None:
        raise errors.user_not_found(404, "User not found")
    return json_response(user_json(row))


async def update(deps: AuthDeps, request: Request) -> Response:
    require_admin(deps, request)
    user_id = validation.user_id(request.path_params["id"])
    body = await read_body(request)
    if await fetch_user(deps.pool, user_id) is None:
        raise errors.user_not_found(404, "User not found")
    changes = await _admin_changes(deps, body)
    async with deps.pool.acquire() as conn:
        row = await update_user(conn, user_id, changes)
        if changes.password_hash is not None:  # a new password signs the user out everywhere
            await end_all_sessions(conn, user_id)
    return json_response(user_json(row))


async def delete(deps: AuthDeps, request: Request) -> Response:
    require_admin(deps, request)
    user_id = validation.user_id(request.path_params["id"])
    body = await read_body(request)
    async with deps.pool.acquire() as conn:
        if await fetch_user(conn, user_id) is None:
            raise errors.user_not_found(404, "User not found")
        if body.flag("should_soft_delete"):
            await soft_delete_user(conn, user_id)
        else:
            await delete_user(conn, user_id)
    return json_response({})


# -- helpers -------------------------------------------------------------------------------------


def _optional_id(body: Body) -> uuid.UUID | None:
    value = body.text("id")
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise errors.validation_failed("id must be an UUID") from exc


async def _admin_changes(deps: AuthDeps, body: Body) -> UserChanges:
    """The attributes an admin may set (create and update share them), all checked before the
    password is hashed."""
    email, password = body.text("email"), body.text("password")
    role, ban = body.text("role"), body.text("ban_duration")
    changes = UserChanges(
        email=validation.email(email) if email else None,
        confirm_email=bool(body.flag("email_confirm")),
        user_metadata=body.obj("user_metadata"),
        app_metadata=body.obj("app_metadata"),
        role=validation.role(role) if role else None,
        set_ban=bool(ban),
        banned_until=validation.ban_until(ban, dt.datetime.now(dt.UTC)) if ban else None,
    )
    if not password:
        return changes
    validation.password(password, deps.config.minimum_password_length)
    return dataclasses.replace(changes, password_hash=await hash_password_async(password))


def _positive_int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        raise errors.validation_failed(f"Bad Pagination Parameters: {name} must be a positive integer")
    return int(raw)


def _link_header(deps: AuthDeps, page: int, per_page: int, total: int, text_filter: str | None) -> str:
    last = max(1, -(-total // per_page))
    base = f"{deps.api_url}/auth/v1/admin/users"

    def url(p: int) -> str:
        params: dict[str, Any] = {"page": p, "per_page": per_page}
        if text_filter:
            params["filter"] = text_filter
        return f"{base}?{urlencode(params)}"

    links = [f'<{url(page + 1)}>; rel="next"'] if page < last else []
    links.append(f'<{url(last)}>; rel="last"')
    return ", ".join(links)
