"""`supadesk status [--json]`: the database, its platform version and migrations, the server."""

from __future__ import annotations

import json
from typing import Annotated, Any

import httpx
import typer

from supadesk.cli.common import DbUrlOption, console, run, settings_and_url
from supadesk.database import migrations, platform
from supadesk.database.locate import redact
from supadesk.database.migrate import connect
from supadesk.keys import load_keys


def _server_answers(api_url: str, anon_key: str) -> bool:
    try:
        response = httpx.get(f"{api_url}/auth/v1/health", headers={"apikey": anon_key}, timeout=2)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def status(
    db_url: DbUrlOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show the database, platform version, migrations, API URL and keys, and whether the server answers."""

    async def gather() -> dict[str, Any]:
        settings, url = await settings_and_url(db_url)
        conn = await connect(url)
        try:
            plat = await platform.status(conn, settings.platform_sql_dir)
            mig = await migrations.status(conn, settings.migrations_dir)
        finally:
            await conn.close()
        keys = load_keys(settings.data_dir)
        return {
            "api_url": settings.api_url,
            "db_url": url,
            "anon_key": keys.anon_key,
            "service_role_key": keys.service_role_key,
            "server_running": _server_answers(settings.api_url, keys.anon_key),
            "platform_version": plat.version,
            "platform_pending": [s.path.name for s in plat.pending],
            "migrations_applied": mig.applied,
            "migrations_pending": [s.path.name for s in mig.pending],
        }

    info = run(gather())
    if as_json:
        typer.echo(json.dumps(info, indent=2))
        return
    running = "[green]running[/]" if info["server_running"] else "[yellow]not running[/]"
    console.print(f"         API URL: {info['api_url']} ({running})")
    console.print(f"          DB URL: {redact(info['db_url'])}")
    console.print(f"        platform: version {info['platform_version']}, {len(info['platform_pending'])} pending")
    console.print(
        f"      migrations: {len(info['migrations_applied'])} applied, {len(info['migrations_pending'])} pending"
    )
    console.print(f"        anon key: {info['anon_key']}", soft_wrap=True)
    console.print(f"service_role key: {info['service_role_key']}", soft_wrap=True)
