"""The gateway: one ASGI app that plays Kong's part in front of the surfaces.

It owns what every request shares — CORS as Supabase answers browsers, the project-key check, one
log line per request with a request id, and the outermost guard that turns an unexpected exception
into a generic 500 — and routes by path prefix to the surfaces (`/auth/v1`, `/rest/v1`, …), which
see the path with the prefix stripped, as behind Kong (`strip_path`).
"""

from __future__ import annotations

import importlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from supadesk.config import Settings
from supadesk.keys import InvalidToken, load_keys
from supadesk.server import cors
from supadesk.server.db import RequestPool, create_pool
from supadesk.server.identity import api_key, check_api_key
from supadesk.server.surface import ServerState, Surface

log = logging.getLogger("supadesk.server")

# Surfaces in routing order; each module exposes `create_surface(state) -> Surface`.
SURFACE_MODULES = ("auth", "rest", "realtime", "storage", "functions", "static")


def _query_param(scope: Scope, name: str) -> str | None:
    from urllib.parse import parse_qs

    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(name)
    return values[0] if values else None


def _new_request_id() -> str:
    # Correlates log lines, it is not a secret: the Mersenne Twister spares a getrandom() syscall
    # per request (uuid4 was 7 % of a request's CPU here).
    return f"{random.getrandbits(128):032x}"


class Gateway:
    def __init__(self, settings: Settings, db_url: str) -> None:
        self.settings = settings
        self.db_url = db_url
        self.surfaces: list[Surface] = []
        self.state: ServerState | None = None
        self._stack = AsyncExitStack()

    # -- lifecycle -------------------------------------------------------------------------

    async def startup(self) -> None:
        keys = load_keys(self.settings.data_dir)
        pool = await create_pool(self.db_url, max_size=10)
        requests = await RequestPool.open(self.db_url)
        self.state = ServerState(settings=self.settings, keys=keys, db_url=self.db_url, pool=pool, requests=requests)
        for name in SURFACE_MODULES:
            try:
                module = importlib.import_module(f"supadesk.server.{name}")
            except ModuleNotFoundError as exc:
                if exc.name and exc.name.startswith(f"supadesk.server.{name}"):
                    log.warning("surface %s is not available", name)
                    continue
                raise
            surface: Surface = module.create_surface(self.state)
            if surface.startup is not None:
                await surface.startup()
            self.surfaces.append(surface)

    async def shutdown(self) -> None:
        for surface in reversed(self.surfaces):
            if surface.shutdown is not None:
                try:
                    await surface.shutdown()
                except Exception:
                    log.exception("surface %s failed to shut down cleanly", surface.prefix)
        if self.state is not None:
            await self.state.requests.close()
            await self.state.pool.close()

    # -- ASGI ------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        surface = self._route(scope["path"])
        if surface is None:
            await _json(send, 404, {"message": "no Route matched with those values"})
            return
        sub_scope = dict(scope)
        if surface.prefix:
            sub_scope["path"] = scope["path"][len(surface.prefix) :] or "/"
            sub_scope["root_path"] = scope.get("root_path", "") + surface.prefix
        if scope["type"] == "websocket":
            await surface.app(sub_scope, receive, send)
            return
        await self._http(surface, sub_scope, receive, send)

    def _route(self, path: str) -> Surface | None:
        for surface in self.surfaces:
            if not surface.prefix or path == surface.prefix or path.startswith(surface.prefix + "/"):
                return surface
        return None

    async def _http(self, surface: Surface, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        request_id = headers.get("x-request-id") or _new_request_id()
        status = 500
        response_started = False
        handles_cors = surface.handles_cors
        extra = [(b"x-request-id", request_id.encode())]
        if not handles_cors:
            extra += cors.response_headers(headers)

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            if not handles_cors and scope["method"] == "OPTIONS":
                status = 200
                preflight = cors.preflight_headers(headers) + extra
                await send({"type": "http.response.start", "status": 200, "headers": preflight})
                await send({"type": "http.response.body", "body": b""})
                return
            if surface.requires_api_key and not surface.is_public_path(scope["method"], scope["path"]):
                assert self.state is not None
                try:
                    check_api_key(self.state.keys, api_key(headers) or _query_param(scope, "apikey"))
                except InvalidToken as exc:
                    message = "No API key found in request" if exc.reason == "missing_api_key" else "Invalid API key"
                    await _json(send_with_headers, 401, {"message": message, "hint": "Check your apikey header."})
                    return
            await surface.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unhandled error request_id=%s %s %s", request_id, scope["method"], scope["path"])
            if not response_started:
                await _json(
                    send_with_headers,
                    500,
                    {"code": "unexpected_failure", "message": "Internal server error", "request_id": request_id},
                )
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            log.info(
                "%s %s%s %d %.1fms request_id=%s",
                scope["method"],
                scope.get("root_path", ""),
                scope["path"],
                status,
                elapsed_ms,
                request_id,
            )

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.startup()
                except Exception as exc:
                    log.exception("server failed to start")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _json(send: Callable[[Message], Awaitable[None]], status: int, body: dict[str, Any]) -> None:
    import json

    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def create_app(settings: Settings, db_url: str) -> ASGIApp:
    return Gateway(settings, db_url)
