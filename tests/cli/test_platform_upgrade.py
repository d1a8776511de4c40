"""Platform versioning: a database bootstrapped with an older `sql/` (all files but the newest) is
reported as behind and brought up to date by `supadesk db migrate`, file by file."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import asyncpg
from tests.cli.clitools import ROOT, invoke, query

from supadesk.database import platform
from supadesk.database.scripts import list_scripts

PLATFORM = list_scripts(ROOT / "sql")


def _bootstrap_older(url: str, older_dir: Path) -> None:
    async def go() -> None:
        conn = await asyncpg.connect(url)
        try:
            await platform.apply(conn, older_dir)
        finally:
            await conn.close()

    asyncio.run(go())


def test_an_older_platform_is_upgraded(empty_url: str, tmp_path: Path) -> None:
    older, newest = PLATFORM[:-1], PLATFORM[-1]
    for script in older:
        shutil.copy(script.path, tmp_path / script.path.name)
    _bootstrap_older(empty_url, tmp_path)

    before = invoke("db", "status", "--db-url", empty_url)
    assert f"platform version {older[-1].version} (1 pending)" in before.stdout

    result = invoke("db", "migrate", "--db-url", empty_url)
    assert result.exit_code == 0, result.output
    assert f"platform version {newest.version} (1 file(s) applied)" in result.stdout
    recorded = query(empty_url, "select version, name, checksum from supadesk_platform.versions order by version")
    assert [tuple(r) for r in recorded] == [(s.version, s.name, s.checksum) for s in PLATFORM]
    after = invoke("db", "status", "--db-url", empty_url)
    assert f"platform version {newest.version} (0 pending)" in after.stdout
    assert "pending 0" in after.stdout


def test_platform_bookkeeping_belongs_to_supabase_admin(scratch_url: str) -> None:
    owners = dict(
        query(
            scratch_url,
            "select nspname, pg_get_userbyid(nspowner) from pg_namespace"
            " where nspname in ('auth', 'storage', 'realtime', 'extensions',"
            " 'supadesk_platform')",
        )
    )
    assert owners == dict.fromkeys(("auth", "storage", "realtime", "extensions", "supadesk_platform"), "supabase_admin")
