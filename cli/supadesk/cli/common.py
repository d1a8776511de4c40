"""What every command shares: options, running coroutines, and the one-line error exit."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine
from typing import Annotated, Any, NoReturn, TypeVar

import asyncpg
import typer
from rich.console import Console

from supadesk.accounts import AccountError
from supadesk.config import Settings, load_settings
from supadesk.database.embedded import EmbeddedError
from supadesk.database.errors import DatabaseError
from supadesk.database.locate import resolve_db_url

T = TypeVar("T")

console = Console()
err_console = Console(stderr=True)

DbUrlOption = Annotated[
    str | None,
    typer.Option("--db-url", help="PostgreSQL URL (default: SUPADESK_DB_URL, else local 5432, else embedded)."),
]

# asyncpg's own errors too: a bad --db-url (InterfaceError) or a refused statement (PostgresError)
# ends with its one-line message, never a traceback.
USER_ERRORS = (DatabaseError, AccountError, EmbeddedError, asyncpg.PostgresError, asyncpg.InterfaceError)


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; a user-facing error ends with one line on stderr."""
    try:
        return asyncio.run(coro)
    except USER_ERRORS as exc:
        fail(str(getattr(exc, "message", None) or exc))
    except KeyboardInterrupt:
        sys.exit(130)


async def settings_and_url(db_url: str | None) -> tuple[Settings, str]:
    settings = load_settings(db_url)
    return settings, await resolve_db_url(settings)
