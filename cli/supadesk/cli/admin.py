"""`supadesk admin create`: agent and admin accounts."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from supadesk.accounts import create_agent
from supadesk.cli.common import DbUrlOption, console, fail, run, settings_and_url
from supadesk.database.migrate import connect

app = typer.Typer(help="Agent and admin accounts.", no_args_is_help=True)


class Role(StrEnum):
    admin = "admin"
    agent = "agent"


@app.command()
def create(
    email: Annotated[str, typer.Option("--email", help="Login email.")],
    password: Annotated[str, typer.Option("--password", help="Login password (8+ characters).")],
    name: Annotated[str | None, typer.Option("--name", help="Display name (default: the email's local part).")] = None,
    role: Annotated[Role, typer.Option("--role", help="admin or agent.")] = Role.agent,
    db_url: DbUrlOption = None,
) -> None:
    """Create a user who can sign in to the dashboard."""
    if "@" not in email or email.startswith("@") or "." not in email.rsplit("@", 1)[-1]:
        fail(f"'{email}' is not a valid email address")
    if len(password) < 8:
        fail("the password must have at least 8 characters")

    async def go() -> None:
        _, url = await settings_and_url(db_url)
        conn = await connect(url)
        try:
            user_id = await create_agent(conn, email, password, name or email.split("@")[0], role.value)
        finally:
            await conn.close()
        console.print(f"[green]created[/] {role.value} {email} ({user_id})")

    run(go())
