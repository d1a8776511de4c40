"""`supadesk storage sweep`: remove uploads never attached to a message, through the Storage API.

`supadesk start` already does this hourly for its own database (server/storage/sweep.py); this
command sweeps now, or sweeps a deployed project (`--api-url`, `--service-key`, e.g. from a cron
job). It goes through the official client because hosted Storage deletes files only through its API.
"""

from __future__ import annotations

from typing import Annotated

import httpx
import typer
from postgrest.exceptions import APIError
from storage3.exceptions import StorageApiError
from supabase import Client, create_client

from supadesk.cli.common import console, fail
from supadesk.config import load_settings
from supadesk.keys import load_keys

app = typer.Typer(help="Storage housekeeping.", no_args_is_help=True)

BUCKET = "support-attachments"
BATCH = 1000  # Storage removes at most 1,000 objects per request


def _client(api_url: str | None, service_key: str | None) -> Client:
    if api_url and not service_key:
        fail("--api-url needs --service-key")
    if not api_url:  # the local stack
        settings = load_settings()
        api_url, service_key = settings.api_url, load_keys(settings.data_dir).service_role_key
    assert service_key is not None
    return create_client(api_url, service_key)


def _names(rows: object) -> list[str]:
    if not isinstance(rows, list):
        return []
    return [str(row["name"]) for row in rows if isinstance(row, dict) and isinstance(row.get("name"), str)]


@app.command("sweep")
def sweep(
    older_than: Annotated[
        int, typer.Option("--older-than", min=12, help="Hours an unattached upload must be old (at least 12).")
    ] = 24,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would be removed, remove nothing.")] = False,
    api_url: Annotated[str | None, typer.Option("--api-url", help="A deployed project's URL.")] = None,
    service_key: Annotated[str | None, typer.Option("--service-key", help="Its service role key.")] = None,
) -> None:
    """Remove uploads that were never attached to a message (the visitor left before sending)."""
    client = _client(api_url, service_key)
    removed = 0
    args = {"older_than": f"{older_than} hours", "max_rows": BATCH}
    try:
        while True:
            listed = client.rpc("unattached_uploads", args).execute()
            names = _names(listed.data)
            if dry_run:
                for name in names:
                    console.print(name, highlight=False, markup=False)
                console.print(f"{len(names)} unattached upload(s) older than {older_than} h (dry run: none removed)")
                return
            if not names:
                break
            removed += len(client.storage.from_(BUCKET).remove(names))
            if len(names) < BATCH:
                break
    except APIError as exc:
        fail(f"cannot list unattached uploads: {exc.message}")
    except StorageApiError as exc:
        fail(f"Storage refused the removal: {exc.message}")
    except httpx.HTTPError as exc:
        fail(f"no API answers at {client.supabase_url}: {exc}")
    console.print(f"removed {removed} unattached upload(s) older than {older_than} h")
