"""Test launcher: `supadesk start` as in cli/supadesk/cli/server.py, minus the surfaces that are
not ready yet in this checkout (a package without `create_surface` makes the real gateway fail to
start). Used by the fixtures only when the real `supadesk start` cannot start.

Usage: python serve.py DB_URL PORT
"""

from __future__ import annotations

import asyncio
import importlib
import sys

import uvicorn

from supadesk.cli.server import configure_logging, write_state
from supadesk.config import load_settings
from supadesk.server import app as gateway


def ready_surfaces() -> tuple[str, ...]:
    ready = []
    for name in gateway.SURFACE_MODULES:
        try:
            module = importlib.import_module(f"supadesk.server.{name}")
        except Exception:
            continue
        if hasattr(module, "create_surface"):
            ready.append(name)
    return tuple(ready)


def main() -> None:
    db_url, port = sys.argv[1], int(sys.argv[2])
    settings = load_settings(db_url, "127.0.0.1", port)
    gateway.SURFACE_MODULES = ready_surfaces()  # type: ignore[misc]
    configure_logging()
    write_state(settings, db_url)
    config = uvicorn.Config(
        gateway.create_app(settings, db_url),
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        ws="websockets-sansio",
        lifespan="on",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=5,
        ws_max_size=4 * 1024 * 1024,
    )
    asyncio.run(uvicorn.Server(config).serve())


if __name__ == "__main__":
    main()
