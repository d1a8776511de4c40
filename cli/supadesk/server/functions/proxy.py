"""`/functions/v1/<name>[/...]` → the Deno runtime, as Supabase's relay does it.

Per request: find the function (404 `Function not found`), apply its `verify_jwt` (OPTIONS skips
it), wait for the runtime if it is (re)starting, then stream the request body to Deno and the
response body back, headers untouched except hop-by-hop ones. The client's address becomes
`x-real-ip` (replacing any sent) and is appended to `x-forwarded-for`. A function that has not
answered within the invocation timeout gets 546 WORKER_LIMIT, like the Supabase CLI runtime.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator

from starlette.types import Receive, Scope, Send

from supadesk.keys import InvalidToken, ProjectKeys
from supadesk.server.functions.registry import FunctionSpec, Registry
from supadesk.server.functions.supervisor import DenoSupervisor
from supadesk.server.functions.upstream import Response, Upstream, UpstreamBroken, UpstreamUnavailable

log = logging.getLogger("supadesk.functions")

HOP_BY_HOP = frozenset(
    {b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te", b"trailer",
     b"transfer-encoding", b"upgrade"}
)  # fmt: skip
FROM_SERVER = frozenset({b"date", b"server"})  # uvicorn writes its own
Headers = list[tuple[bytes, bytes]]


class FunctionsProxy:
    def __init__(
        self, registry: Registry, supervisor: DenoSupervisor, keys: ProjectKeys, timeout_s: float, boot_timeout_s: float
    ) -> None:
        self.registry = registry
        self.supervisor = supervisor
        self.keys = keys
        self.timeout_s = timeout_s
        self.boot_timeout_s = boot_timeout_s
        self.upstream = Upstream()

    async def close(self) -> None:
        self.upstream.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        name = scope["path"].lstrip("/").split("/", 1)[0]
        spec = self.registry.get(name) if name else None
        if spec is None:
            await _reply(send, 404, b"Function not found", "text/plain", headers)
            return
        if spec.verify_jwt and scope["method"] != "OPTIONS":
            problem = self._jwt_problem(headers.get("authorization"))
            if problem is not None:
                await _reply(
                    send, 401, json.dumps({"msg": problem}, separators=(",", ":")).encode(), "application/json", headers
                )
                return
        await self._forward(spec, scope, receive, send, headers)

    def _jwt_problem(self, authorization: str | None) -> str | None:
        if not authorization:
            return "Error: Missing authorization header"
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or not token:
            return "Error: Auth header is not 'Bearer {token}'"
        try:
            self.keys.verify(token.strip())
        except InvalidToken:
            return "Invalid JWT"
        return None

    async def _forward(
        self, spec: FunctionSpec, scope: Scope, receive: Receive, send: Send, headers: dict[str, str]
    ) -> None:
        deadline = time.monotonic() + self.timeout_s
        body = _RequestBody(receive) if scope["method"] not in ("GET", "HEAD") else None
        response: Response | None = None
        for attempt in range(2):
            port = await self.supervisor.wait_ready(min(self.boot_timeout_s, max(0.0, deadline - time.monotonic())))
            if port is None:
                await _problem(send, 503, "BOOT_ERROR", "Worker failed to boot (please check logs)", headers)
                return
            try:
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    response = await self.upstream.request(
                        port,
                        scope["method"],
                        _target(scope),
                        _upstream_headers(scope),
                        body.stream() if body is not None else None,
                    )
                break
            except (UpstreamUnavailable, UpstreamBroken) as exc:
                if isinstance(exc, UpstreamUnavailable):
                    self.supervisor.mark_unreachable(port)
                if attempt == 0 and (body is None or not body.started):
                    continue  # nothing of the body was sent: a fresh connection (or runtime) gets it
                log.warning("function %s: relay failed: %s", spec.name, exc)
                await _relay_error(send, headers)
                return
            except TimeoutError:
                log.warning("function %s did not respond within %.1fs", spec.name, self.timeout_s)
                await _problem(send, 546, "WORKER_LIMIT", _limit_message(self.timeout_s), headers)
                return
        assert response is not None
        await self._stream_back(response, send, deadline)

    async def _stream_back(self, response: Response, send: Send, deadline: float) -> None:
        dropped = HOP_BY_HOP | FROM_SERVER
        out: Headers = [(k, v) for k, v in response.headers if k.lower() not in dropped]
        await send({"type": "http.response.start", "status": response.status, "headers": out})
        try:
            async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                async for chunk in response.chunks():
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
        except (TimeoutError, UpstreamBroken) as exc:
            log.warning("function response stream ended early: %s", type(exc).__name__)
        finally:
            await response.aclose()
        with contextlib.suppress(Exception):
            await send({"type": "http.response.body", "body": b"", "more_body": False})


class _RequestBody:
    """The client's body as an async iterator, read from ASGI as Deno consumes it."""

    def __init__(self, receive: Receive) -> None:
        self.receive = receive
        self.started = False

    async def stream(self) -> AsyncIterator[bytes]:
        self.started = True
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            if chunk:
                yield chunk
            if not message.get("more_body", False):
                return


def _target(scope: Scope) -> bytes:
    """The request target the function sees: `/<name>/...?query`, as encoded by the client."""
    raw: bytes = scope.get("raw_path") or scope["path"].encode()
    root = scope.get("root_path", "").encode()
    if root and raw.startswith(root):
        raw = raw[len(root) :]
    query: bytes = scope.get("query_string", b"")
    return raw + (b"?" + query if query else b"")


def _upstream_headers(scope: Scope) -> Headers:
    client = scope.get("client")
    peer = client[0] if client else "127.0.0.1"
    forwarded: list[str] = []
    out: Headers = []
    for key, value in scope["headers"]:
        name = key.lower()
        if name in HOP_BY_HOP or name == b"x-real-ip":
            continue
        if name == b"x-forwarded-for":
            forwarded.append(value.decode("latin-1"))
            continue
        out.append((key, value))
    forwarded.append(peer)
    if not any(key.lower() == b"host" for key, _ in out):
        out.append((b"host", b"localhost"))
    out += [(b"x-real-ip", peer.encode()), (b"x-forwarded-for", ", ".join(forwarded).encode("latin-1"))]
    return out


def _limit_message(timeout_s: float) -> str:
    return f"Worker failed to respond within the {timeout_s:g}s wall clock limit"


def _cors(request_headers: dict[str, str]) -> Headers:
    return [(b"access-control-allow-origin", b"*")] if "origin" in request_headers else []


async def _reply(send: Send, status: int, body: bytes, content_type: str, request_headers: dict[str, str]) -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + _cors(request_headers)})
    await send({"type": "http.response.body", "body": body})


async def _problem(send: Send, status: int, code: str, message: str, request_headers: dict[str, str]) -> None:
    body = json.dumps({"code": code, "message": message}, separators=(",", ":")).encode()
    await _reply(send, status, body, "application/json", request_headers)


async def _relay_error(send: Send, request_headers: dict[str, str]) -> None:
    body = json.dumps({"code": "RELAY_ERROR", "message": "The functions runtime stopped during the request"}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"x-relay-error", b"true"),
    ]
    await send({"type": "http.response.start", "status": 502, "headers": headers + _cors(request_headers)})
    await send({"type": "http.response.body", "body": body})
