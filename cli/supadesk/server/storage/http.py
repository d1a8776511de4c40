"""What every storage route shares: the caller's identity, JSON in and out, and the guard that
renders StorageError (and turns anything unexpected into a logged InternalError, never a trace)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from starlette.requests import Request
from starlette.responses import Response

from supadesk.keys import InvalidToken
from supadesk.server.context import RequestContext
from supadesk.server.identity import resolve_context
from supadesk.server.storage import errors
from supadesk.server.storage.service import StorageService

Handler = Callable[[Request, StorageService], Awaitable[Response]]
MAX_JSON_BODY = 1024 * 1024


def guarded(service: StorageService, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request, service)
        except errors.StorageError as exc:
            errors.log_error(exc, request.method, request.url.path)
            return exc.response()
        except asyncpg.PostgresError as exc:
            error = errors.from_database(exc)
            errors.log_error(error, request.method, request.url.path)
            return error.response()
        except Exception as exc:  # the outermost guard: logged with its trace, rendered generic
            error = errors.internal(exc)
            errors.log_error(error, request.method, request.url.path)
            return error.response()

    return endpoint


def caller(request: Request, service: StorageService) -> RequestContext:
    """The caller's RequestContext; a bad token is AccessDenied (HTTP 400, statusCode 403) as in Storage."""
    try:
        return resolve_context(service.keys, request.headers, request.method, request.url.path)
    except InvalidToken as exc:
        raise errors.access_denied(exc.message, exc) from exc


async def json_body(request: Request) -> dict[str, Any]:
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_JSON_BODY:
            raise errors.invalid_request("The request body is too large")
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise errors.invalid_request("The request body is not valid JSON") from exc
    if not isinstance(value, dict):
        raise errors.invalid_request("The request body must be a JSON object")
    return value


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    payload = json.dumps(value, default=_json_default, separators=(",", ":")).encode()
    return Response(payload, status_code=status, media_type="application/json", headers=headers)


def timestamp(value: dt.datetime | None) -> str | None:
    """ISO 8601 in UTC with milliseconds and `Z`, as Storage (JavaScript) writes dates."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timestamp(value)
    if isinstance(value, uuid.UUID):  # asyncpg's UUID type subclasses it
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def record_json(row: asyncpg.Record) -> dict[str, Any]:
    """A storage row as JSON (jsonb columns decoded)."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key in ("metadata", "user_metadata") and isinstance(value, str):
            value = json.loads(value)
        out[key] = value
    return out
