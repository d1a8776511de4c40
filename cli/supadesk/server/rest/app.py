"""The `/rest/v1` ASGI app: identity → parse → plan → SQL (cached per shape) → run → respond."""

from __future__ import annotations

import logging
from collections.abc import Hashable

from starlette.types import Receive, Scope, Send

from supadesk.keys import InvalidToken
from supadesk.server.identity import resolve_context
from supadesk.server.rest import errors
from supadesk.server.rest.compile import Compiled, PlanCache, compile_request
from supadesk.server.rest.execute import execute
from supadesk.server.rest.querystring import shape_query, split_query
from supadesk.server.rest.request import Payload, api_request, parse_payload, route
from supadesk.server.rest.response import Reply, build_reply
from supadesk.server.rest.schema.catalog import load_schema_cache
from supadesk.server.rest.schema.model import SchemaCache
from supadesk.server.rest.settings import RestSettings
from supadesk.server.surface import ServerState

log = logging.getLogger("supadesk.rest")
JSON_ERROR = (b"content-type", b"application/json; charset=utf-8")
_BODY_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


class RestApp:
    def __init__(self, state: ServerState, settings: RestSettings) -> None:
        self.state = state
        self.settings = settings
        self.schema: SchemaCache | None = None
        self.plans = PlanCache()

    async def load_schema(self) -> None:
        version = self.schema.version + 1 if self.schema is not None else 1
        async with self.state.pool.acquire() as conn:
            schema = await load_schema_cache(conn, self.settings.schema, version)
        self.schema = schema
        self.plans.clear()
        log.info("schema cache loaded: %d tables, %d functions", len(schema.tables), len(schema.routines))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        try:
            reply = await self.handle(scope, receive)
        except errors.ApiError as error:
            reply = Reply(error.status, [*error.headers, JSON_ERROR], error.body())
        await _send(send, scope["method"], reply)

    async def handle(self, scope: Scope, receive: Receive) -> Reply:
        method: str = scope["method"]
        path: str = scope["path"]
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            ctx = resolve_context(self.state.keys, headers, method, path)
        except InvalidToken as exc:
            raise errors.expired_jwt() if exc.reason == "expired" else errors.invalid_jwt(exc.message) from exc
        body = await read_body(receive, headers, self.settings.max_body_bytes) if method in _BODY_METHODS else b""
        _, action = route(method, path)
        pairs = split_query(scope["query_string"].decode("utf-8", "replace"))
        shape, slots = shape_query(pairs, slots=not (action == "call" and method in ("GET", "HEAD")))
        payload = parse_payload(action, body, headers.get("content-type"))
        compiled = self.compiled(method, path, shape, headers, payload)
        outcome = await execute(self.state.requests, ctx, compiled, slots, payload.text, self._committed)
        return build_reply(compiled, outcome)

    def _committed(self) -> None:
        realtime = self.state.extras.get("realtime")
        if realtime is not None:
            realtime.notify_commit()

    def compiled(
        self,
        method: str,
        path: str,
        shape: tuple[tuple[str, str, bool], ...],
        headers: dict[str, str],
        payload: Payload,
    ) -> Compiled:
        schema = self.schema
        if schema is None:
            raise errors.ApiError(503, "PGRST002", "Could not query the database for the schema cache. Retrying.")
        profile = headers.get("accept-profile" if method in ("GET", "HEAD") else "content-profile")
        key: Hashable = (
            method,
            path,
            shape,
            headers.get("accept"),
            headers.get("prefer"),
            headers.get("range"),
            profile,
            payload.shape,
            schema.version,
        )
        compiled = self.plans.get(key)
        if compiled is None:
            req = api_request(method, path, shape, headers, payload.shape, self.settings.schemas)
            compiled = compile_request(schema, req, self.settings.max_rows)
            self.plans.put(key, compiled)
        return compiled


async def read_body(receive: Receive, headers: dict[str, str], limit: int) -> bytes:
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise errors.body_too_large(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise errors.body_too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _send(send: Send, method: str, reply: Reply) -> None:
    headers = reply.headers
    if reply.status != 204 and method != "HEAD":
        headers = [*headers, (b"content-length", str(len(reply.body)).encode())]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body})
