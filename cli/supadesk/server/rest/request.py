"""HTTP → the typed request: target (table or function), action, headers, payload.

`ApiRequest` holds only what planning depends on, so it doubles as the plan-cache key; the values
that vary per request (slot values, the body text) travel separately.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from supadesk.server.rest import errors
from supadesk.server.rest.preferences import (
    Media,
    Preferences,
    check_profile,
    negotiate,
    parse_prefer,
    parse_range,
)
from supadesk.server.rest.querystring import Shape

Action = Literal["read", "insert", "update", "delete", "call"]
_TABLE_ACTIONS: dict[str, Action] = {
    "GET": "read",
    "HEAD": "read",
    "POST": "insert",
    "PATCH": "update",
    "DELETE": "delete",
}


@dataclass(frozen=True)
class Target:
    kind: Literal["table", "rpc"]
    name: str


def route(method: str, path: str) -> tuple[Target, Action]:
    parts = path.strip("/").split("/")
    if len(parts) == 2 and parts[0] == "rpc" and parts[1]:
        if method not in ("GET", "HEAD", "POST"):
            raise errors.rpc_verb(method)
        return Target("rpc", parts[1]), "call"
    if len(parts) != 1 or not parts[0]:
        raise errors.ApiError(404, "PGRST125", "Invalid path specified in request URL")
    action = _TABLE_ACTIONS.get(method)
    if action is None:
        raise errors.unsupported_verb(method)
    return Target("table", parts[0]), action


@dataclass(frozen=True)
class PayloadShape:
    kind: Literal["none", "object", "array", "other"]
    keys: tuple[str, ...] = ()  # sorted keys of the (first) object
    uniform: bool = True  # every object of an array has the same keys


@dataclass(frozen=True)
class Payload:
    shape: PayloadShape
    text: str | None  # the JSON text to bind (arrays for inserts)
    rows: int = 0


NO_PAYLOAD = Payload(PayloadShape("none"), None)


def parse_payload(action: Action, body: bytes, content_type: str | None) -> Payload:
    if action in ("read", "delete"):
        return NO_PAYLOAD
    media = (content_type or "application/json").split(";")[0].strip().lower()
    if media not in ("application/json", "application/vnd.pgrst.object+json", "text/plain", ""):
        raise errors.unsupported_content_type(content_type or "")
    text = body.decode("utf-8", "replace").strip()
    if not text:
        if action == "call":
            return Payload(PayloadShape("object"), "{}")
        raise errors.invalid_body("Empty or invalid json")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise errors.invalid_body("Empty or invalid json") from exc
    return _payload(action, value, text)


def _payload(action: Action, value: object, text: str) -> Payload:
    if isinstance(value, dict):
        keys = tuple(sorted(value))
        bound = "[" + text + "]" if action == "insert" else text
        return Payload(PayloadShape("object", keys), bound, 1)
    if isinstance(value, list) and action == "insert":
        if not all(isinstance(row, dict) for row in value):
            raise errors.invalid_body("All elements of the array must be JSON objects")
        first = tuple(sorted(value[0])) if value else ()
        uniform = all(len(row) == len(first) and all(k in row for k in first) for row in value)
        return Payload(PayloadShape("array", first, uniform), text, len(value))
    if action == "call":
        return Payload(PayloadShape("other"), text)
    raise errors.invalid_body("Empty or invalid json" if action == "update" else "Expected a JSON object or array")


@dataclass(frozen=True)
class ApiRequest:
    method: str
    target: Target
    action: Action
    shape: Shape
    prefer: Preferences
    media: Media
    range: tuple[int, int | None] | None
    payload: PayloadShape


def api_request(
    method: str, path: str, shape: Shape, headers: dict[str, str], payload: PayloadShape, exposed: tuple[str, ...]
) -> ApiRequest:
    target, action = route(method, path)
    check_profile(headers, method, exposed)
    prefer = parse_prefer(headers.get("prefer", ""))
    rng = parse_range(headers.get("range")) if action in ("read", "call") else None
    return ApiRequest(method, target, action, shape, prefer, negotiate(headers.get("accept")), rng, payload)
