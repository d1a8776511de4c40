"""`supadesk deploy`: the project's migrations and edge functions onto a hosted Supabase project.

1. Check everything the run needs first (project ref, access token, Supabase CLI, network,
   database), so a missing piece stops it with one line before anything is changed.
2. Migrations, with the same runner as `supadesk db migrate`: a hosted database already has the
   platform (auth, storage, …), so only `supabase/migrations` is applied there — recorded in
   `supabase_migrations.schema_migrations`, exactly as `supabase db push` records them. A database
   of the local stack (it has `supadesk_platform`) gets the full `migrate()`; a database with
   neither is refused (it is not a Supabase database).
3. Functions, with the stock CLI: `supabase functions deploy --project-ref REF --use-api`
   (server-side bundling, no Docker), which needs SUPABASE_ACCESS_TOKEN.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import asyncpg
import typer

from supadesk.cli.common import console, fail, run
from supadesk.config import Settings, load_settings
from supadesk.database import migrations
from supadesk.database.errors import DatabaseError
from supadesk.database.locate import redact
from supadesk.database.migrate import connect, migrate

PROJECT_REF = re.compile(r"^[a-z0-9]{20}$")
API_HOST = "api.supabase.com"
TOKEN_URL = "https://supabase.com/dashboard/account/tokens"


@dataclass(frozen=True)
class Plan:
    migrations: bool
    functions: bool


def find_supabase_cli(settings: Settings, explicit: str | None) -> str | None:
    candidates = [
        explicit,
        os.environ.get("SUPABASE_CLI"),
        str(settings.project_dir / "tests" / "js" / "node_modules" / ".bin" / "supabase"),
        str(settings.project_dir / "node_modules" / ".bin" / "supabase"),
        shutil.which("supabase"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _network_problem(host: str = API_HOST) -> str | None:
    """Why `host:443` is unreachable, or None (a configured HTTPS proxy is trusted to get there)."""
    if any(os.environ.get(name) for name in ("HTTPS_PROXY", "https_proxy")):
        return None
    try:
        socket.create_connection((host, 443), timeout=5).close()
    except socket.gaierror:
        return f"cannot resolve {host} (no network or DNS)"
    except OSError as exc:
        return f"cannot reach {host}:443 ({exc.strerror or exc})"
    return None


def preflight(settings: Settings, plan: Plan, project_ref: str, supabase_bin: str | None) -> str | None:
    """The Supabase CLI to use (None when functions are skipped); stops with one line on a gap."""
    if not PROJECT_REF.match(project_ref):
        fail(f"--project-ref must be the 20-character reference of the project (Settings → General): {project_ref!r}")
    if not plan.functions:
        return None
    if not os.environ.get("SUPABASE_ACCESS_TOKEN"):
        fail(
            "SUPABASE_ACCESS_TOKEN is not set: create a personal access token at "
            f"{TOKEN_URL} and export it (`supabase functions deploy` needs it), or pass --no-functions"
        )
    cli = find_supabase_cli(settings, supabase_bin)
    if cli is None:
        fail("the Supabase CLI was not found: run `npm ci` in tests/js, put `supabase` on PATH, or pass --supabase-bin")
    problem = _network_problem()
    if problem:
        fail(f"{problem}: functions cannot be deployed without network access to the Supabase API")
    return cli


async def apply_migrations(settings: Settings, db_url: str) -> list[str]:
    """Apply what is pending on the target; returns the applied file names."""
    conn = await connect(db_url)
    try:
        shape = await conn.fetchrow(
            "select to_regclass('auth.users') is not null as has_auth,"
            " to_regclass('supadesk_platform.versions') is not null as is_local"
        )
        assert shape is not None
        if shape["is_local"]:
            await conn.close()
            report = await migrate(settings, db_url)
            return [s.path.name for s in report.migrations_applied]
        if not shape["has_auth"]:
            raise DatabaseError(
                f"{redact(db_url)} has no auth.users: it is not a Supabase project database "
                "(for a plain local database use `supadesk db migrate`)"
            )
        try:
            applied = await migrations.apply(conn, settings.migrations_dir)
        except asyncpg.PostgresError as exc:
            raise DatabaseError(f"migrations failed: {exc}") from exc
        return [s.path.name for s in applied]
    finally:
        if not conn.is_closed():
            await conn.close()


def deploy_functions(cli: str, settings: Settings, project_ref: str) -> None:
    command = [
        cli,
        "functions",
        "deploy",
        "--project-ref",
        project_ref,
        "--use-api",
        "--workdir",
        str(settings.project_dir),
    ]
    console.print(f"Deploying functions with: {' '.join(command[1:])}", highlight=False)
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=settings.project_dir
    )
    assert process.stdout is not None
    last = ""
    for line in process.stdout:
        console.print(f"  {line.rstrip()}", highlight=False, markup=False)
        if line.strip():
            last = line.strip()
    if process.wait() != 0:
        fail(f"`supabase functions deploy` failed (exit {process.returncode}): {last or 'no output'}")


def deploy(
    project_ref: Annotated[str, typer.Option("--project-ref", help="The project's reference id (20 characters).")],
    db_url: Annotated[
        str,
        typer.Option("--db-url", help="The project's database URL (Project Settings → Database → connection string)."),
    ],
    functions: Annotated[bool, typer.Option("--functions/--no-functions", help="Deploy the edge functions.")] = True,
    apply: Annotated[bool, typer.Option("--migrations/--no-migrations", help="Apply pending migrations.")] = True,
    supabase_bin: Annotated[str | None, typer.Option("--supabase-bin", help="Path to the Supabase CLI.")] = None,
) -> None:
    """Apply pending migrations to a Supabase project and deploy its edge functions."""
    settings = load_settings()
    plan = Plan(migrations=apply, functions=functions)
    cli = preflight(settings, plan, project_ref, supabase_bin)
    if plan.migrations:
        applied = run(apply_migrations(settings, db_url))
        if applied:
            console.print(f"Applied {len(applied)} migration(s): {', '.join(applied)}", highlight=False)
        else:
            console.print("Migrations: the database is up to date.")
    if cli is not None:
        deploy_functions(cli, settings, project_ref)
    console.print(f"[bold green]Deployed to project {project_ref}.[/]")
