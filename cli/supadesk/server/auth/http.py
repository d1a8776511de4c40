"""HTTP plumbing for the auth surface: a tiny router, JSON bodies and responses, the error guard.

The router is a dict lookup (GoTrue's routes are few and fixed) and it is the one place where
exceptions become responses: an AuthError renders as itself, a database data error (e.g. a NUL
character in metadata) as a 400, anything else is logged and answered with a generic 500.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from supadesk.server.auth import errors

log = logging.getLogger("supadesk.server.auth")

Handler = Callable[[Request], Awaitable[Response]]
MAX_BODY_BYTES = 1 << 20


class Router:
    """Exact paths, plus `<prefix><id>` paths whose last segment lands in `path_params["id"]`."""

    def __init__(self) -> None:
        self._exact: dict[str, dict[str, Handler]] = {}
        self._param: dict[str, dict[str, Handler]] = {}

    def route(self, method: str, path: str, handler: Handler) -> None:
        self._exact.setdefault(path, {})[method] = handler

    def route_with_id(self, method: str, prefix: str, handler: Handler) -> None:
        self._param.setdefault(prefix, {})[method] = handler

    def _match(self, path: str) -> tuple[dict[str, Handler] | None, str | None]:
        if len(path) > 1:
            path = path.rstrip("/")
        handlers = self._exact.get(path)
        if handlers is not None:
            return handlers, None
        prefix, _, last = path.rpartition("/")
        handlers = self._param.get(prefix + "/")
        return (handlers, last) if handlers is not None and last else (None, None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            return
        handlers, param = self._match(scope["path"])
        if param is not None:
            scope = {**scope, "path_params": {"id": param}}
        request = Request(scope, receive)
        try:
            if handlers is None:
                raise errors.not_found()
            handler = handlers.get(scope["method"])
            if handler is None:
                raise errors.method_not_allowed()
            response = await handler(request)
        except errors.AuthError as exc:
            response = errors.error_response(exc, request.headers)
        except asyncpg.DataError as exc:
            log.info("auth request refused by the database: %s", exc)
            response = errors.error_response(errors.validation_failed("Invalid input"), request.headers)
        except Exception:
            log.exception("auth request failed: %s %s", scope["method"], scope["path"])
            response = errors.error_response(errors.unexpected_failure(), request.headers)
        await response(scope, receive, send)


# -- requests ------------------------------------------------------------------------------------


class Body:
    """A JSON object body with typed accessors; a wrong type is GoTrue's 400 bad_json."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def _typed(self, key: str, kind: type, name: str) -> Any:
        value = self.data.get(key)
        if value is None or type(value) is kind:  # json.loads builds exact types (no bool-as-int slips)
            return value
        raise errors.bad_json(f"{key} must be {name}")

    def text(self, key: str) -> str | None:
        value: str | None = self._typed(key, str, "a string")
        return value

    def obj(self, key: str) -> dict[str, Any] | None:
        value: dict[str, Any] | None = self._typed(key, dict, "an object")
        return value

    def flag(self, key: str) -> bool | None:
        value: bool | None = self._typed(key, bool, "a boolean")
        return value

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None


async def read_body(request: Request) -> Body:
    """The request's JSON object (an empty body is `{}`), at most MAX_BODY_BYTES."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise errors.AuthError(413, "request_too_large", "Request body is too large")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        return Body({})
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise errors.bad_json("the body is not valid JSON") from exc
    if not isinstance(data, dict):
        raise errors.bad_json("expected a JSON object")
    return Body(data)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def session_ip(request: Request) -> str | None:
    """The client address for `auth.sessions.ip` (an inet), or None when it is not an IP."""
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


# -- responses -----------------------------------------------------------------------------------


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, separators=(",", ":"))
    return Response(body, status_code=status, headers=headers, media_type="application/json")


def no_content() -> Response:
    return Response(status_code=204)
