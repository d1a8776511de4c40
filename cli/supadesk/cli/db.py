"""`supadesk db …`: migrate, reset, seed, lint, status."""

from __future__ import annotations

from typing import Annotated

import typer

from supadesk.cli.common import DbUrlOption, console, fail, run, settings_and_url
from supadesk.database import lint as db_lint
from supadesk.database import migrations, platform
from supadesk.database import reset as db_reset
from supadesk.database import seed as db_seed
from supadesk.database.locate import redact
from supadesk.database.migrate import connect
from supadesk.database.migrate import migrate as run_migrate

app = typer.Typer(help="Database: migrate, reset, seed, lint, status.", no_args_is_help=True)
seed_app = typer.Typer(
    help="Apply supabase/seed.sql, or generate demo data (`seed demo`).", invoke_without_command=True
)
app.add_typer(seed_app, name="seed")


@app.command()
def migrate(db_url: DbUrlOption = None) -> None:
    """Apply the platform bootstrap (sql/) and pending supabase/migrations."""

    async def go() -> None:
        settings, url = await settings_and_url(db_url)
        report = await run_migrate(settings, url)
        console.print(f"database [bold]{redact(url)}[/]")
        console.print(f"platform version {report.platform_version} ({len(report.platform_applied)} file(s) applied)")
        for script in report.migrations_applied:
            console.print(f"  applied {script.path.name}")
        console.print(f"[green]migrations up to date[/] ({len(report.migrations_applied)} applied now)")

    run(go())


@app.command()
def reset(
    db_url: DbUrlOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Drop and recreate the database, then migrate and apply supabase/seed.sql."""

    async def target() -> str:
        return (await settings_and_url(db_url))[1]

    url = run(target())
    if not yes and not typer.confirm(f"Drop every table and row in {redact(url)}?", default=False):
        fail("reset cancelled")

    async def go() -> None:
        settings, _ = await settings_and_url(db_url)
        await db_reset.recreate_database(url)
        await run_migrate(settings, url)
        await db_seed.apply_seed_file(url, settings.supabase_dir / "seed.sql")
        console.print(f"[green]database reset[/]: {redact(url)}")

    run(go())


@seed_app.callback()
def seed(ctx: typer.Context, db_url: DbUrlOption = None) -> None:
    """Apply supabase/seed.sql (when no subcommand is given)."""
    if ctx.invoked_subcommand is not None:
        return

    async def go() -> None:
        settings, url = await settings_and_url(db_url)
        await db_seed.apply_seed_file(url, settings.supabase_dir / "seed.sql")
        console.print("[green]applied[/] supabase/seed.sql")

    run(go())


@seed_app.command("demo")
def seed_demo(
    db_url: DbUrlOption = None,
    tickets: Annotated[int, typer.Option("--tickets", min=1, max=10_000_000, help="How many tickets.")] = 600,
    seed_value: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same data).")] = 42,
    api_url: Annotated[str | None, typer.Option("--api-url", help="Seed a deployed project through its API.")] = None,
    service_key: Annotated[str | None, typer.Option("--service-key", help="Service role key (with --api-url).")] = None,
) -> None:
    """Realistic, deterministic demo data over 90 days: agents, customers, conversations."""
    from supadesk.database import demo

    if api_url:
        if not service_key:
            fail("--api-url needs --service-key")
        console.print(run(demo.seed_through_api(api_url, service_key, tickets=tickets, seed=seed_value)).summary())
        return

    async def go() -> None:
        settings, url = await settings_and_url(db_url)
        await run_migrate(settings, url)
        result = await demo.seed_demo(url, tickets=tickets, seed=seed_value)
        console.print(result.summary())

    run(go())


@app.command()
def lint(db_url: DbUrlOption = None) -> None:
    """Database linter: RLS on every table, definer functions pinned, indexes, comments."""

    async def go() -> int:
        _, url = await settings_and_url(db_url)
        conn = await connect(url)
        try:
            problems = await db_lint.run_checks(conn)
        finally:
            await conn.close()
        for problem in problems:
            console.print(f"[yellow]{problem.check}[/] {problem.object_name}: {problem.message}")
        return len(problems)

    count = run(go())
    if count:
        fail(f"{count} problem(s) found")
    console.print("[green]no problems found[/]")


@app.command("status")
def db_status(db_url: DbUrlOption = None) -> None:
    """Platform version and applied/pending migrations."""

    async def go() -> None:
        settings, url = await settings_and_url(db_url)
        conn = await connect(url)
        try:
            plat = await platform.status(conn, settings.platform_sql_dir)
            mig = await migrations.status(conn, settings.migrations_dir)
        finally:
            await conn.close()
        console.print(f"database {redact(url)}")
        console.print(f"platform version {plat.version or 'none'} ({len(plat.pending)} pending)")
        console.print(f"migrations applied {len(mig.applied)}, pending {len(mig.pending)}")
        for script in mig.pending:
            console.print(f"  pending {script.path.name}")

    run(go())
