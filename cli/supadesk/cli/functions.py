"""`supadesk functions`: the project's edge functions and their logs (written by `supadesk start`)."""

from __future__ import annotations

from typing import Annotated

import typer

from supadesk.cli.common import console, err_console
from supadesk.config import load_settings
from supadesk.server.functions.logs import follow, log_path, tail
from supadesk.server.functions.registry import discover

app = typer.Typer(help="Edge functions: list them and read their logs.", no_args_is_help=True)


@app.command("logs")
def logs(
    name: Annotated[str | None, typer.Argument(help="Only this function's lines (default: all).")] = None,
    lines: Annotated[int, typer.Option("--lines", "-n", min=1, help="How many recent lines to show.")] = 100,
    follow_: Annotated[bool, typer.Option("--follow", "-f", help="Keep printing new lines.")] = False,
) -> None:
    """Show function log lines (console output and errors), newest last."""
    path = log_path(load_settings().data_dir)
    records = tail(path, name, lines)
    if not records and not follow_:
        what = f"function {name!r}" if name else "any function"
        err_console.print(f"No log lines for {what} yet ({path}).", highlight=False)
        return
    for record in records:
        console.print(record.render(), highlight=False, markup=False, soft_wrap=True)
    if follow_:
        try:
            for record in follow(path, name):
                console.print(record.render(), highlight=False, markup=False, soft_wrap=True)
        except KeyboardInterrupt:
            return


@app.command("list")
def list_functions() -> None:
    """The functions `supadesk start` serves, with their verify_jwt setting."""
    settings = load_settings()
    specs = discover(settings.supabase_dir, settings.functions_dir)
    if not specs:
        err_console.print(f"No functions in {settings.functions_dir}.", highlight=False)
        return
    for spec in specs.values():
        entry = (
            spec.entrypoint.relative_to(settings.project_dir)
            if spec.entrypoint.is_relative_to(settings.project_dir)
            else spec.entrypoint
        )
        jwt = "verify_jwt" if spec.verify_jwt else "no verify_jwt"
        console.print(f"{spec.name:24} {jwt:14} {entry}", highlight=False, markup=False)
