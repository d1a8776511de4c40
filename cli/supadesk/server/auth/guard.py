"""Who is calling an auth endpoint: a signed-in user (with a live session) or an admin.

As GoTrue does: no Bearer → 401 no_authorization; a token we did not sign, expired, `alg: none`
or with an unknown role → 403 bad_jwt; a user that no longer exists → 403 user_not_found; a token
whose session was signed out → 403 session_not_found (clients treat these as "signed out").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg
from starlette.requests import Request

from supadesk.keys import Claims, InvalidToken
from supadesk.server.auth import errors
from supadesk.server.auth.deps import AuthDeps
from supadesk.server.auth.http import bearer_token
from supadesk.server.auth.tokens import AUDIENCE
from supadesk.server.auth.users import fetch_user_and_session

ADMIN_ROLES = frozenset({"service_role"})


@dataclass(frozen=True)
class Caller:
    claims: Claims
    user: asyncpg.Record
    session_id: uuid.UUID | None


def verified_claims(deps: AuthDeps, request: Request) -> Claims:
    token = bearer_token(request)
    if token is None:
        raise errors.no_authorization()
    try:
        return deps.keys.verify(token)
    except InvalidToken as exc:
        raise errors.bad_jwt(exc.message) from exc


def _uuid_claim(claims: Claims, name: str) -> uuid.UUID | None:
    value = claims.get(name)
    if value is None or value == "":
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise errors.bad_jwt(f"invalid claim: {name} claim must be a UUID", status=400) from exc


def _audience_ok(claims: Claims) -> bool:
    aud = claims.get("aud")
    return aud == AUDIENCE or (isinstance(aud, list) and AUDIENCE in aud)


async def require_user(deps: AuthDeps, request: Request) -> Caller:
    claims = verified_claims(deps, request)
    user_id = _uuid_claim(claims, "sub")
    if user_id is None:
        raise errors.bad_jwt("invalid claim: missing sub claim")
    if not _audience_ok(claims):
        raise errors.bad_jwt("invalid claim: aud claim does not match")
    session_id = _uuid_claim(claims, "session_id")
    row = await fetch_user_and_session(deps.pool, user_id, session_id)
    if row is None:
        raise errors.user_not_found()
    if session_id is not None and not row["has_session"]:
        raise errors.session_not_found()
    return Caller(claims, row, session_id)


def require_admin(deps: AuthDeps, request: Request) -> Claims:
    claims = verified_claims(deps, request)
    if claims.get("role") not in ADMIN_ROLES:
        raise errors.not_admin()
    return claims
