"""`GET /user`, `PUT /user` and `POST /logout` for the signed-in caller.

There is no mailer locally, so a new email applies at once (GoTrue does that for anonymous users
with auto-confirm; permanent users would get a confirmation email).  A new password signs out the
user's other sessions, as GoTrue's does.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from supadesk.server.auth import errors, sessions, validation
from supadesk.server.auth.deps import AuthDeps, check_password_async, hash_password_async
from supadesk.server.auth.guard import ADMIN_ROLES, require_user
from supadesk.server.auth.http import json_response, no_content, read_body
from supadesk.server.auth.user_changes import UserChanges, update_user
from supadesk.server.auth.users import user_json

LOGOUT_SCOPES = ("global", "local", "others")


async def get_user(deps: AuthDeps, request: Request) -> Response:
    caller = await require_user(deps, request)
    return json_response(user_json(caller.user))


async def put_user(deps: AuthDeps, request: Request) -> Response:
    caller = await require_user(deps, request)
    body = await read_body(request)
    user = caller.user
    if body.obj("app_metadata") is not None and user["role"] not in ADMIN_ROLES:
        raise errors.not_admin("Updating app_metadata requires admin privileges")
    if body.text("phone"):
        raise errors.phone_provider_disabled("changes")
    email = body.text("email")
    new_email = validation.email(email) if email else None
    if new_email == user["email"]:
        new_email = None
    password = body.text("password")
    password_hash = None
    if password:
        validation.password(password, deps.config.minimum_password_length)
        if user["is_anonymous"] and not new_email:
            raise errors.validation_failed(
                "Updating password of an anonymous user without an email or phone is not allowed", 422
            )
        hashed = user["encrypted_password"]
        if hashed and await check_password_async(password, hashed):
            raise errors.same_password()
        password_hash = await hash_password_async(password)
    changes = UserChanges(
        email=new_email,
        confirm_email=new_email is not None,
        password_hash=password_hash,
        user_metadata=body.obj("data"),
        app_metadata=body.obj("app_metadata"),
    )
    async with deps.pool.acquire() as conn:
        row = await update_user(conn, user["id"], changes)
        if password_hash is not None:
            await sessions.end_other_sessions(conn, user["id"], caller.session_id)
    return json_response(user_json(row))


async def logout(deps: AuthDeps, request: Request) -> Response:
    scope = request.query_params.get("scope") or "global"
    if scope not in LOGOUT_SCOPES:
        raise errors.validation_failed(f"Unsupported logout scope {scope!r}")
    caller = await require_user(deps, request)
    user_id, session_id = caller.user["id"], caller.session_id
    if session_id is None or scope == "global":
        await sessions.end_all_sessions(deps.pool, user_id)
    elif scope == "local":
        await sessions.end_session(deps.pool, session_id)
    else:
        await sessions.end_other_sessions(deps.pool, user_id, session_id)
    return no_content()
