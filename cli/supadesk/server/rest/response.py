"""Respond stage: status, headers (Content-Range, Preference-Applied, Location) and body bytes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import quote

from supadesk.server.rest import errors
from supadesk.server.rest.compile import Compiled
from supadesk.server.rest.execute import Outcome

Headers = list[tuple[bytes, bytes]]


@dataclass
class Reply:
    status: int
    headers: Headers = field(default_factory=list)
    body: bytes = b""


def content_range(offset: int, page_total: int, total: int | None) -> bytes:
    total_text = "*" if total is None else str(total)
    if page_total <= 0:
        return f"*/{total_text}".encode()
    return f"{offset}-{offset + page_total - 1}/{total_text}".encode()


def _single(body: str) -> str:
    """The only element of a JSON array PostgreSQL rendered (`[{...}]` → `{...}`)."""
    return body[1:-1].strip()


def build_reply(compiled: Compiled, outcome: Outcome) -> Reply:
    headers: Headers = []
    if compiled.applied:
        headers.append((b"preference-applied", ", ".join(compiled.applied).encode()))
    action = compiled.action
    if action == "read" or (action == "call" and compiled.mode in ("rows", "object")):
        return _read_reply(compiled, outcome, headers)
    if action == "call":
        if compiled.mode == "void":
            return Reply(204, headers)
        return _body_reply(200, compiled, outcome.body or "null", headers)
    status = 201 if action == "insert" else 200
    if action == "insert":
        headers.append((b"content-range", f"*/{'*' if outcome.total is None else outcome.total}".encode()))
    else:
        headers.append((b"content-range", content_range(0, outcome.page_total, outcome.total)))
    if compiled.location_table is not None:
        headers.append((b"location", _location(compiled.location_table, outcome.body)))
        return Reply(201, headers)
    if compiled.mode == "minimal":
        return Reply(status if action == "insert" else 204, headers)
    body = outcome.body or "[]"
    return _body_reply(status, compiled, _single(body) if compiled.mode == "object" else body, headers)


def _read_reply(compiled: Compiled, outcome: Outcome, headers: Headers) -> Reply:
    total = outcome.total
    offset = compiled.offset
    if total is not None and offset > 0 and offset > total:
        raise errors.ApiError(
            416,
            "PGRST103",
            "Requested range not satisfiable",
            f"An offset of {offset} was requested, but there are only {total} rows.",
            headers=[(b"content-range", f"*/{total}".encode())],
        )
    headers.append((b"content-range", content_range(offset, outcome.page_total, total)))
    headers.append((b"range-unit", b"items"))
    status = 206 if total is not None and outcome.page_total < total else 200
    body = outcome.body or "[]"
    if compiled.mode == "object":
        body = _single(body)
    return _body_reply(status, compiled, body, headers)


def _body_reply(status: int, compiled: Compiled, body: str, headers: Headers) -> Reply:
    headers.append((b"content-type", compiled.media.content_type))
    return Reply(status, headers, b"" if compiled.head else body.encode())


def _location(table: str, body: str | None) -> bytes:
    rows = json.loads(body) if body else []
    if not rows:
        return f"/{quote(table)}".encode()
    query = "&".join(f"{quote(k)}=eq.{quote(str(v))}" for k, v in rows[0].items())
    return f"/{quote(table)}?{query}".encode()
