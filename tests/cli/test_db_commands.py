"""`supadesk db migrate|status|reset|seed|lint` through typer's CliRunner, on private databases."""

from __future__ import annotations

import asyncio

from tests.cli.clitools import ROOT, execute, invoke, query, stderr_lines, value
from tests.db.support import create_database, drop_database, scratch_name

from supadesk.config import Settings
from supadesk.database.migrate import migrate
from supadesk.database.scripts import list_scripts

MIGRATIONS = list_scripts(ROOT / "supabase" / "migrations")
PLATFORM = list_scripts(ROOT / "sql")
DEMO_ENV = {"SUPADESK_DEMO_NOW": "2026-11-20T15:30:00+00:00"}


def test_migrate_applies_everything_then_nothing(empty_url: str) -> None:
    first = invoke("db", "migrate", "--db-url", empty_url)
    second = invoke("db", "migrate", "--db-url", empty_url)
    assert first.exit_code == 0, first.output
    assert f"platform version {PLATFORM[-1].version} ({len(PLATFORM)} file(s) applied)" in first.stdout
    assert f"({len(MIGRATIONS)} applied now)" in first.stdout
    assert all(f"applied {m.path.name}" in first.stdout for m in MIGRATIONS)
    assert second.exit_code == 0, second.output
    assert "(0 file(s) applied)" in second.stdout and "(0 applied now)" in second.stdout
    assert value(empty_url, "select count(*) from supabase_migrations.schema_migrations") == len(MIGRATIONS)


def test_status_of_a_migrated_database(scratch_url: str) -> None:
    result = invoke("db", "status", "--db-url", scratch_url)
    assert result.exit_code == 0, result.output
    assert f"platform version {PLATFORM[-1].version} (0 pending)" in result.stdout
    assert f"migrations applied {len(MIGRATIONS)}, pending 0" in result.stdout


def test_status_lists_pending_migrations(empty_url: str, settings: Settings) -> None:
    asyncio.run(migrate(settings, empty_url, platform_only=True))
    result = invoke("db", "status", "--db-url", empty_url)
    assert result.exit_code == 0, result.output
    assert f"migrations applied 0, pending {len(MIGRATIONS)}" in result.stdout
    assert all(f"pending {m.path.name}" in result.stdout for m in MIGRATIONS)


def test_reset_recreates_the_database(scratch_url: str) -> None:
    execute(scratch_url, ["create table public.sd_fd_leftover (id int)"])
    result = invoke("db", "reset", "--yes", "--db-url", scratch_url)
    assert result.exit_code == 0, result.output
    assert value(scratch_url, "select to_regclass('public.sd_fd_leftover')") is None
    assert value(scratch_url, "select count(*) from supabase_migrations.schema_migrations") == len(MIGRATIONS)


def test_reset_asks_first(scratch_url: str) -> None:
    execute(scratch_url, ["create table public.sd_fd_leftover (id int)"])
    result = invoke("db", "reset", "--db-url", scratch_url, input="n\n")
    assert result.exit_code != 0
    assert stderr_lines(result)[-1] == "error: reset cancelled"
    assert value(scratch_url, "select to_regclass('public.sd_fd_leftover')::text") == "sd_fd_leftover"


def test_seed_applies_seed_sql(scratch_url: str) -> None:
    result = invoke("db", "seed", "--db-url", scratch_url)
    assert result.exit_code == 0, result.output
    assert "applied supabase/seed.sql" in result.stdout


DIGEST = """
select md5(concat_ws('#',
  (select string_agg(t::text, '|' order by t.number) from public.tickets as t),
  (select string_agg(m::text, '|' order by m.id) from public.messages as m),
  (select string_agg(a::text, '|' order by a.id) from public.analytics as a),
  (select string_agg(c::text, '|' order by c.id) from public.customers as c),
  (select string_agg(concat_ws(',', u.id, u.email, u.is_anonymous, u.created_at), '|' order by u.id)
     from auth.users as u),
  (select string_agg(p::text, '|' order by p.id) from public.users as p)))
"""


def test_seed_demo_is_deterministic_and_idempotent(scratch_url: str, migrated_template: str) -> None:
    other_url = asyncio.run(create_database(scratch_name("scratch"), template=migrated_template))
    try:
        first = invoke("db", "seed", "demo", "--tickets", "200", "--seed", "7", "--db-url", scratch_url, env=DEMO_ENV)
        second = invoke("db", "seed", "demo", "--tickets", "200", "--seed", "7", "--db-url", other_url, env=DEMO_ENV)
        assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
        digest = value(scratch_url, DIGEST)
        assert digest == value(other_url, DIGEST)
        counts = query(
            scratch_url, "select (select count(*) from public.tickets), (select count(*) from public.messages)"
        )
        assert counts == query(
            other_url, "select (select count(*) from public.tickets), (select count(*) from public.messages)"
        )
        assert counts[0][0] == 200
        assert "admin@supadesk.local / supadesk-demo" in first.stdout
        assert "tickets     200" in first.stdout

        again = invoke("db", "seed", "demo", "--tickets", "200", "--seed", "7", "--db-url", scratch_url, env=DEMO_ENV)
        assert again.exit_code == 0, again.output
        assert "already loaded; nothing to do" in again.stdout
        assert value(scratch_url, DIGEST) == digest

        different = invoke("db", "seed", "demo", "--tickets", "200", "--seed", "8", "--db-url", other_url, env=DEMO_ENV)
        assert different.exit_code == 0, different.output
        assert value(other_url, "select count(*) from public.tickets") == 400
    finally:
        asyncio.run(drop_database(other_url))


def test_lint_passes_on_the_migrated_schema(scratch_url: str) -> None:
    result = invoke("db", "lint", "--db-url", scratch_url)
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.stdout


def test_lint_reports_each_problem_and_fails(scratch_url: str) -> None:
    execute(scratch_url, ["create table public.sd_fd_bad (id int primary key)"])
    result = invoke("db", "lint", "--db-url", scratch_url)
    assert result.exit_code == 1
    assert "rls_disabled_in_public sd_fd_bad" in result.stdout
    assert "table_without_comment sd_fd_bad" in result.stdout
    assert stderr_lines(result) == ["error: 2 problem(s) found"]
