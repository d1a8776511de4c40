"""Agreement with the stock Supabase CLI (npm `supabase@2.117.0`, no Docker needed for these commands):
what `supadesk db migrate` records, `supabase migration list` / `db push` read as applied, and what
`supabase db push` applies, `supadesk` sees as applied. `supabase db reset --db-url` keeps the platform.

The CLI runs in a copy of supabase/ so it never writes into the checkout (it keeps state in .temp/).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.cli.clitools import ROOT, execute, invoke, query, value

from supadesk.config import Settings
from supadesk.database.migrate import migrate
from supadesk.database.scripts import list_scripts
from supadesk.database.sql_split import split_statements

SUPABASE = ROOT / "tests" / "js" / "node_modules" / ".bin" / "supabase"
MIGRATIONS = list_scripts(ROOT / "supabase" / "migrations")
PLATFORM_SCHEMAS = ("auth", "storage", "realtime", "extensions", "supadesk_platform")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    if not SUPABASE.exists():
        pytest.fail(f"the Supabase CLI is missing at {SUPABASE}: run `npm ci` in tests/js (make install)")
    shutil.copytree(ROOT / "supabase", tmp_path / "supabase", ignore=shutil.ignore_patterns(".temp", ".branches"))
    return tmp_path


def supabase(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SUPABASE_TELEMETRY_DISABLED": "1", "DO_NOT_TRACK": "1"}
    result = subprocess.run([str(SUPABASE), *args], cwd=project, capture_output=True, text=True, timeout=180, env=env)
    assert result.returncode == 0, f"supabase {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def cli_url(url: str) -> str:
    return url + "?sslmode=disable"


def test_cli_lists_supadesk_migrations_as_applied_and_has_nothing_to_push(scratch_url: str, project: Path) -> None:
    listing = supabase(project, "migration", "list", "--db-url", cli_url(scratch_url)).stdout
    for script in MIGRATIONS:
        assert re.search(rf"{script.version}\W+\|\W+{script.version}", listing), (script.version, listing)
    push = supabase(project, "db", "push", "--db-url", cli_url(scratch_url), "--dry-run")
    assert "Remote database is up to date" in push.stdout + push.stderr


def test_supadesk_agrees_with_what_the_cli_pushed(empty_url: str, project: Path, settings: Settings) -> None:
    asyncio.run(migrate(settings, empty_url, platform_only=True))
    supabase(project, "db", "push", "--db-url", cli_url(empty_url), "--yes")

    result = invoke("db", "migrate", "--db-url", empty_url)
    assert result.exit_code == 0, result.output
    assert "(0 applied now)" in result.stdout
    status = invoke("db", "status", "--db-url", empty_url)
    assert f"migrations applied {len(MIGRATIONS)}, pending 0" in status.stdout
    recorded = query(
        empty_url, "select version, name, statements from supabase_migrations.schema_migrations order by version"
    )
    assert [(r["version"], r["name"]) for r in recorded] == [(s.version, s.name) for s in MIGRATIONS]
    for row, script in zip(recorded, MIGRATIONS, strict=True):  # supadesk records what the CLI records
        assert [s.strip() for s in row["statements"]] == split_statements(script.text), script.path.name


def test_cli_reset_keeps_the_platform_and_reapplies_migrations(scratch_url: str, project: Path) -> None:
    execute(scratch_url, ["create table public.sd_fd_leftover (id int)"])
    versions_before = query(scratch_url, "select version, checksum from supadesk_platform.versions order by version")
    supabase(project, "db", "reset", "--db-url", cli_url(scratch_url), "--yes")

    owners = dict(
        query(
            scratch_url,
            "select nspname, pg_get_userbyid(nspowner) from pg_namespace where nspname = any($1::text[])",
            list(PLATFORM_SCHEMAS),
        )
    )
    assert owners == dict.fromkeys(PLATFORM_SCHEMAS, "supabase_admin")
    assert value(scratch_url, "select to_regclass('public.sd_fd_leftover')") is None
    assert value(scratch_url, "select to_regclass('public.tickets')::text") == "tickets"
    assert value(scratch_url, "select to_regclass('auth.users')::text") == "auth.users"
    assert (
        query(scratch_url, "select version, checksum from supadesk_platform.versions order by version")
        == versions_before
    )
    status = invoke("db", "status", "--db-url", scratch_url)
    assert f"migrations applied {len(MIGRATIONS)}, pending 0" in status.stdout
    assert invoke("db", "lint", "--db-url", scratch_url).exit_code == 0
