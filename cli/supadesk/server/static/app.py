"""Routes for the prebuilt frontend (`frontend/dist`)."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from supadesk.server.surface import ServerState, Surface

_NOT_BUILT = "The frontend is not built yet: run `make build` (or `cd frontend && npm run build`)."


def _safe_file(root: Path, relative: str) -> Path | None:
    """A file inside `root`, or None; never a path outside it."""
    candidate = (root / relative).resolve()
    if candidate.is_file() and candidate.is_relative_to(root.resolve()):
        return candidate
    return None


def create_surface(state: ServerState) -> Surface:
    dist = state.settings.frontend_dist

    async def config(request: Request) -> Response:
        return JSONResponse(
            {"supabaseUrl": state.api_url, "anonKey": state.keys.anon_key},
            headers={"cache-control": "no-store"},
        )

    def serve(relative: str, *, immutable: bool = False) -> Response:
        path = _safe_file(dist, relative)
        if path is None:
            return PlainTextResponse("Not found", status_code=404)
        cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
        return FileResponse(path, headers={"cache-control": cache})

    async def widget_demo(request: Request) -> Response:
        return serve("widget/demo.html")

    async def widget_loader(request: Request) -> Response:
        return serve("widget/widget.js")

    async def fallback(request: Request) -> Response:
        relative = request.path_params.get("path", "")
        if relative.startswith(("assets/", "widget/")):
            return serve(relative, immutable="/assets/" in "/" + relative)
        if relative and "." in relative.rsplit("/", 1)[-1]:
            return serve(relative)
        if not (dist / "index.html").is_file():
            return PlainTextResponse(_NOT_BUILT, status_code=503)
        return serve("index.html")

    app = Starlette(
        routes=[
            Route("/supadesk-config.json", config),
            Route("/widget", widget_demo),
            Route("/widget.js", widget_loader),
            Route("/{path:path}", fallback, methods=["GET", "HEAD"]),
        ]
    )
    return Surface(prefix="", app=app, requires_api_key=False)
