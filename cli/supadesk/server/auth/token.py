"""`POST /token?grant_type=password|refresh_token`: sign in, and refresh with rotation.

Refresh tokens rotate: using one revokes it and issues its child.  Presenting a revoked token
again within `refresh_token_reuse_interval` (a client that lost the response, or two tabs racing)
returns the session's current token; later, it is treated as theft and the whole session is
revoked.  A refresh is one statement in the common case.
"""

from __future__ import annotations

import datetime as dt

import asyncpg
from starlette.requests import Request
from starlette.responses import Response

from supadesk.server.auth import errors, sessions, validation
from supadesk.server.auth.deps import AuthDeps, check_password_async
from supadesk.server.auth.http import json_response, read_body, session_ip
from supadesk.server.auth.users import fetch_user_by_email, is_banned
from supadesk.types import Conn

MAX_REFRESH_TOKEN_LENGTH = 255  # the column's width


async def token(deps: AuthDeps, request: Request) -> Response:
    grant_type = request.query_params.get("grant_type")
    if grant_type == "password":
        return await _password(deps, request)
    if grant_type == "refresh_token":
        return await _refresh(deps, request)
    raise errors.invalid_credentials("unsupported_grant_type")


async def _password(deps: AuthDeps, request: Request) -> Response:
    body = await read_body(request)
    deps.check_rate("sign_in_sign_ups", request)
    email, phone, password = body.text("email"), body.text("phone"), body.text("password") or ""
    if email and phone:
        raise errors.validation_failed("Only an email address or phone number should be provided on login.")
    if phone:
        raise errors.phone_provider_disabled("logins")
    if not email:
        raise errors.validation_failed("missing email or phone")
    if not deps.config.email_signup:
        raise errors.email_provider_disabled("logins")
    try:
        email = validation.email(email)
    except errors.AuthError:
        email = ""  # not an address anyone can have: fails below like any unknown one
    user = await fetch_user_by_email(deps.pool, email) if email else None
    hashed = user["encrypted_password"] if user else None
    if not await check_password_async(password, hashed) or user is None:
        raise errors.invalid_credentials()
    if is_banned(user):
        raise errors.user_banned()
    if user["email_confirmed_at"] is None:
        raise errors.email_not_confirmed()
    issued = await sessions.issue(deps.pool, user["id"], session_ip(request), request.headers.get("user-agent"))
    if issued is None:  # deleted between the password check and now
        raise errors.invalid_credentials()
    return json_response(deps.tokens.session_json(issued, "password"))


async def _refresh(deps: AuthDeps, request: Request) -> Response:
    body = await read_body(request)
    refresh_token = body.text("refresh_token")
    if not refresh_token:
        raise errors.validation_failed("refresh_token required")
    if len(refresh_token) > MAX_REFRESH_TOKEN_LENGTH or "\x00" in refresh_token:
        raise errors.validation_failed("Refresh token is not valid")
    async with deps.pool.acquire() as conn:
        row = await sessions.rotate(conn, refresh_token)  # one statement: the hot path
        if row is None:
            row = await _reuse(deps, conn, refresh_token)
        await _check_usable(conn, row)
    return json_response(deps.tokens.session_json(row))


async def _reuse(deps: AuthDeps, conn: Conn, refresh_token: str) -> asyncpg.Record:
    """A token that could not be rotated: unknown, or revoked (a retry, or a stolen copy)."""
    used = await sessions.inspect(conn, refresh_token, deps.config.refresh_token_reuse_interval)
    if used is None:
        raise errors.refresh_token_not_found()
    if used.session_id is None:
        raise errors.refresh_session_not_found()
    if used.within_reuse_interval:
        row = await sessions.active_token(conn, used.session_id)
        if row is not None:
            return row
    if deps.config.refresh_token_rotation:
        await sessions.end_session(conn, used.session_id)
    raise errors.refresh_token_already_used()


async def _check_usable(conn: Conn, row: asyncpg.Record) -> None:
    """A banned user or a session past `not_after` cannot refresh: the session ends here."""
    if is_banned(row):
        await sessions.end_session(conn, row["session_id"])
        raise errors.AuthError(400, "user_banned", "Invalid Refresh Token: User Banned")
    not_after = row["not_after"]
    if not_after is not None and not_after <= dt.datetime.now(dt.UTC):
        await sessions.end_session(conn, row["session_id"])
        raise errors.session_expired()
