"""The GoTrue-compatible `/auth/v1` surface: sign-up (email and anonymous), password sign-in,
rotating refresh tokens, the user endpoints, logout scopes and the admin user API.

Users live in `auth.users` (so SQL and RLS see them), sessions in `auth.sessions`, refresh tokens
in `auth.refresh_tokens`; access tokens are HS256 JWTs signed with the project secret.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from starlette.requests import Request
from starlette.responses import Response

from supadesk.server.auth import admin, meta, signup, token, user
from supadesk.server.auth.config import load_auth_config
from supadesk.server.auth.deps import AuthDeps
from supadesk.server.auth.http import Router
from supadesk.server.surface import ServerState, Surface

PREFIX = "/auth/v1"
_PUBLIC = frozenset({("GET", "/health"), ("GET", "/.well-known/jwks.json")})

Endpoint = Callable[[AuthDeps, Request], Awaitable[Response]]


def build_router(deps: AuthDeps) -> Router:
    router = Router()

    def add(method: str, path: str, endpoint: Endpoint) -> None:
        router.route(method, path, partial(endpoint, deps))

    add("GET", "/health", meta.health)
    add("GET", "/settings", meta.settings)
    add("GET", "/.well-known/jwks.json", meta.jwks)
    add("POST", "/signup", signup.signup)
    add("POST", "/token", token.token)
    add("GET", "/user", user.get_user)
    add("PUT", "/user", user.put_user)
    add("POST", "/logout", user.logout)
    add("GET", "/admin/users", admin.list_)
    add("POST", "/admin/users", admin.create)
    for method, endpoint in (("GET", admin.get), ("PUT", admin.update), ("DELETE", admin.delete)):
        router.route_with_id(method, "/admin/users/", partial(endpoint, deps))
    return router


def _is_public(method: str, path: str) -> bool:
    return (method, path.rstrip("/") or "/") in _PUBLIC


def create_surface(state: ServerState) -> Surface:
    config = load_auth_config(state.settings.supabase_dir / "config.toml")
    deps = AuthDeps(pool=state.pool, keys=state.keys, config=config, api_url=state.api_url)
    return Surface(prefix=PREFIX, app=build_router(deps), is_public_path=_is_public)
