"""What the gateway expects from each API surface (auth, rest, realtime, storage, functions, static)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp

if TYPE_CHECKING:
    import asyncpg

    from supadesk.config import Settings
    from supadesk.keys import ProjectKeys
    from supadesk.server.db import RequestPool


@dataclass
class ServerState:
    """Shared by every surface of one server process."""

    settings: Settings
    keys: ProjectKeys
    db_url: str
    pool: asyncpg.Pool  # internal work (auth tables, catalogs, realtime, storage bookkeeping)
    requests: RequestPool  # REST requests' own SQL, run as the caller
    extras: dict[str, Any] = field(default_factory=dict)  # surfaces may share objects here

    @property
    def api_url(self) -> str:
        return self.settings.api_url


def _never_public(method: str, path: str) -> bool:
    return False


@dataclass
class Surface:
    """One mounted API: an ASGI app plus optional lifecycle hooks run by the gateway's lifespan.

    The app sees paths with `prefix` stripped. `requires_api_key`: the gateway rejects HTTP requests
    without a valid project key, except where `is_public_path(method, path)` (e.g. signed URLs).
    `handles_cors`: the surface answers CORS itself (edge functions do, as on Supabase).
    """

    prefix: str  # e.g. "/rest/v1"; "" for the frontend fallback (must be last)
    app: ASGIApp
    startup: Callable[[], Awaitable[None]] | None = None
    shutdown: Callable[[], Awaitable[None]] | None = None
    requires_api_key: bool = True
    handles_cors: bool = False
    is_public_path: Callable[[str, str], bool] = _never_public
