"""`supadesk`: composes the command groups; no command logic lives here."""

from __future__ import annotations

import typer

from supadesk.cli import admin, db, deploy, functions, server, status, storage

app = typer.Typer(
    name="supadesk",
    help="supadesk: a Supabase-native support desk, and the local Supabase stack that runs it.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(db.app, name="db")
app.add_typer(admin.app, name="admin")
app.command("start")(server.start)
app.command("status")(status.status)
app.add_typer(functions.app, name="functions")
app.add_typer(storage.app, name="storage")
app.command("deploy")(deploy.deploy)

if __name__ == "__main__":
    app()
