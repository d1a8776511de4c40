"""`supadesk start`: the whole local stack in the foreground (Ctrl-C stops it gracefully)."""

from __future__ import annotations

import gc
import json
import os
from typing import Annotated

import typer
import uvicorn

from supadesk.cli.common import DbUrlOption, console, run, settings_and_url
from supadesk.config import Settings, load_settings
from supadesk.database.locate import redact
from supadesk.database.migrate import migrate
from supadesk.keys import load_keys
from supadesk.server import log_output
from supadesk.server.app import create_app


def state_file(settings: Settings) -> str:
    return str(settings.data_dir / f"server-{settings.port}.json")


def write_state(settings: Settings, db_url: str) -> None:
    keys = load_keys(settings.data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "api_url": settings.api_url,
        "db_url": db_url,
        "anon_key": keys.anon_key,
        "service_role_key": keys.service_role_key,
        "pid": os.getpid(),
    }
    with open(state_file(settings), "w") as fh:
        json.dump(payload, fh)


def print_banner(settings: Settings, db_url: str) -> None:
    keys = load_keys(settings.data_dir)
    console.print("[bold green]supadesk local stack is running.[/]\n")
    console.print(f"         API URL: {settings.api_url}")
    console.print(f"       Dashboard: {settings.api_url}/admin")
    console.print(f"     Widget demo: {settings.api_url}/widget")
    console.print(f"          DB URL: {redact(db_url)}")
    console.print(f"        anon key: {keys.anon_key}", soft_wrap=True)
    console.print(f"service_role key: {keys.service_role_key}\n", soft_wrap=True)


def tune_gc() -> None:
    """Fewer, cheaper garbage collections for a long-running server.

    Fan-out allocates a few objects per delivery, so the default threshold (700) ran a collection
    every few dozen deliveries, and full collections walked every object imported at startup. Freezing
    those and collecting the young generation every 50,000 allocations took a 1,000-subscriber
    broadcast at 10k deliveries/s from p50/p99 29/105 ms to 19/44 ms (docs/benchmarks/realtime.md).
    """
    gc.freeze()
    gc.set_threshold(50_000, 10, 10)


def start(
    db_url: DbUrlOption = None,
    host: Annotated[str | None, typer.Option("--host", help="Interface to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (default 54321).")] = None,
) -> None:
    """Run the API gateway (auth, rest, realtime, storage, functions) and serve the frontend."""

    async def prepare() -> tuple[Settings, str]:
        base, url = await settings_and_url(db_url)
        settings = load_settings(db_url, host, port)
        await migrate(base, url)
        return settings, url

    settings, url = run(prepare())
    log_output.configure()
    write_state(settings, url)
    print_banner(settings, url)
    config = uvicorn.Config(
        create_app(settings, url),
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        ws="websockets-sansio",
        lifespan="on",
        log_level="warning",
        # Ours (log_output): uvicorn's dictConfig would close every handler already installed.
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=5,
        ws_max_size=4 * 1024 * 1024,
        # Never trust X-Forwarded-For by default: per-IP rate limits must see the real peer.
        proxy_headers=False,
        # Realtime frames are small JSON; deflate costs CPU and ~64 KiB per socket.
        ws_per_message_deflate=False,
    )
    try:
        # Server.run() installs the configured loop (uvloop); asyncio.run() would not.
        tune_gc()
        uvicorn.Server(config).run()
    finally:
        try:
            os.remove(state_file(settings))
        except FileNotFoundError:
            pass
