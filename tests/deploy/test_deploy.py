"""`supadesk deploy` as far as it can run here: migrations onto a database that has only the
platform (what a fresh hosted project looks like), and the one-line stops when something needed
for the functions is missing (no access token; no network) — before anything is changed."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from tests.conftest import PG_URL, ROOT, _drop_database

from supadesk.config import Settings
from supadesk.database import platform
from supadesk.database.locate import with_database
from supadesk.database.reset import recreate_database

REF = "abcdefghijklmnopqrst"
MIGRATIONS = sorted(p.name for p in (ROOT / "supabase" / "migrations").glob("*.sql"))


def _hosted_like_database() -> str:
    """A new database with the platform Supabase provides (sql/) and no trace of supadesk's runner."""
    url = with_database(PG_URL, f"sd_st_deploy_{os.getpid()}_{uuid.uuid4().hex[:6]}")

    async def create() -> None:
        await recreate_database(url)
        conn = await asyncpg.connect(url)
        try:
            await platform.apply(conn, Settings(project_dir=ROOT).platform_sql_dir)
            await conn.execute("drop schema supadesk_platform cascade")
        finally:
            await conn.close()

    asyncio.run(create())
    return url


@pytest.fixture
def hosted_db() -> Iterator[str]:
    url = _hosted_like_database()
    yield url
    _drop_database(url)


def _deploy(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "SUPABASE_ACCESS_TOKEN"}
    return subprocess.run(
        [sys.executable, "-m", "supadesk", "deploy", "--project-ref", REF, *args],
        env={**base, **(env or {})},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _fetch(url: str, sql: str) -> list[asyncpg.Record]:
    async def go() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(url)
        try:
            return list(await conn.fetch(sql))
        finally:
            await conn.close()

    return asyncio.run(go())


def test_migrations_apply_onto_a_database_with_only_the_platform(hosted_db: str) -> None:
    done = _deploy("--db-url", hosted_db, "--no-functions")
    assert done.returncode == 0, done.stderr
    assert f"Applied {len(MIGRATIONS)} migration(s)" in done.stdout
    sql = "select version from supabase_migrations.schema_migrations order by version"
    assert [r["version"] for r in _fetch(hosted_db, sql)] == [m.split("_", 1)[0] for m in MIGRATIONS]
    tables = {r["t"] for r in _fetch(hosted_db, "select tablename as t from pg_tables where schemaname = 'public'")}
    assert {"tickets", "messages", "attachments", "customers", "users"} <= tables
    # the platform was not re-applied: a hosted project owns it
    assert _fetch(hosted_db, "select to_regnamespace('supadesk_platform') as s")[0]["s"] is None
    again = _deploy("--db-url", hosted_db, "--no-functions")
    assert again.returncode == 0 and "up to date" in again.stdout


def test_missing_access_token_stops_with_one_line_before_any_change(hosted_db: str) -> None:
    done = _deploy("--db-url", hosted_db)
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "SUPABASE_ACCESS_TOKEN" in lines[0]
    assert "Traceback" not in done.stderr + done.stdout
    assert _fetch(hosted_db, "select to_regclass('public.tickets') as t")[0]["t"] is None


def test_unreachable_supabase_api_stops_with_one_line(hosted_db: str) -> None:
    """With a token but without a way to reach the API (or when the API refuses the fake token), the
    run ends with one line and no traceback."""
    done = _deploy("--db-url", hosted_db, "--no-migrations", env={"SUPABASE_ACCESS_TOKEN": "sbp_" + "0" * 40})
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:")
    assert "Traceback" not in done.stderr + done.stdout


def test_a_database_that_is_not_supabase_is_refused(tmp_path: Path) -> None:
    url = with_database(PG_URL, f"sd_st_plain_{os.getpid()}_{uuid.uuid4().hex[:6]}")
    asyncio.run(recreate_database(url))
    try:
        done = _deploy("--db-url", url, "--no-functions")
        assert done.returncode != 0
        assert "not a Supabase project database" in done.stderr and "Traceback" not in done.stderr
    finally:
        _drop_database(url)


def test_bad_project_ref_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "supadesk", "deploy", "--project-ref", "Not A Ref", "--db-url", "postgresql://x/y"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "--project-ref" in done.stderr and "Traceback" not in done.stderr
