"""`POST /signup`: email + password, or an anonymous user when neither email nor phone is given.

PKCE fields (`code_challenge`, `code_challenge_method`) and `gotrue_meta_security` are accepted
and ignored: with confirmations off the session is returned at once, so there is no code to
exchange.  With `[auth.email] enable_confirmations` on, the user is returned without a session.
"""

from __future__ import annotations

import asyncpg
from starlette.requests import Request
from starlette.responses import Response

from supadesk.accounts import AccountError, NewUser, create_user
from supadesk.server.auth import errors, sessions, validation
from supadesk.server.auth.deps import AuthDeps, as_connection, hash_password_async
from supadesk.server.auth.http import Body, json_response, read_body, session_ip
from supadesk.server.auth.users import fetch_user, user_json


async def signup(deps: AuthDeps, request: Request) -> Response:
    body = await read_body(request)
    if not deps.config.enable_signup:
        raise errors.signup_disabled()
    if not body.text("email") and not body.text("phone"):
        return await _anonymous(deps, request, body)
    deps.check_rate("sign_in_sign_ups", request)
    if not body.text("email"):
        raise errors.phone_provider_disabled()
    if not deps.config.email_signup:
        raise errors.email_provider_disabled()
    password = body.text("password")
    if not password:
        raise errors.validation_failed("Signup requires a valid password")
    email = validation.email(body.text("email") or "")
    validation.password(password, deps.config.minimum_password_length)
    confirmed = not deps.config.email_confirmations
    new_user = NewUser(
        email=email,
        password_hash=await hash_password_async(password),
        user_metadata=body.obj("data") or {},
        app_metadata={},
        email_confirmed=confirmed,
    )
    return await _create(deps, request, new_user, start_session=confirmed)


async def _anonymous(deps: AuthDeps, request: Request, body: Body) -> Response:
    if not deps.config.enable_anonymous_sign_ins:
        raise errors.anonymous_provider_disabled()
    deps.check_rate("anonymous_users", request)
    new_user = NewUser(
        email=None,
        password_hash=None,
        user_metadata=body.obj("data") or {},
        app_metadata={},  # no provider keys for anonymous users, as GoTrue
        is_anonymous=True,
        email_confirmed=False,
    )
    return await _create(deps, request, new_user, start_session=True)


async def _create(deps: AuthDeps, request: Request, new_user: NewUser, *, start_session: bool) -> Response:
    """Create the user and, in the same transaction, its first session."""
    async with deps.pool.acquire() as conn, conn.transaction():
        try:
            created = await create_user(as_connection(conn), new_user)
        except AccountError as exc:
            raise errors.user_already_exists() from exc
        except asyncpg.UniqueViolationError as exc:  # the same email signed up concurrently
            raise errors.user_already_exists() from exc
        if not start_session:
            row = await fetch_user(conn, created["id"])
            assert row is not None
            return json_response(user_json(row))
        issued = await sessions.issue(conn, created["id"], session_ip(request), request.headers.get("user-agent"))
    assert issued is not None
    method = "anonymous" if new_user.is_anonymous else "password"
    return json_response(deps.tokens.session_json(issued, method))
