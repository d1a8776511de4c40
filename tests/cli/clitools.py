"""Running `supadesk` in tests: in-process through typer's CliRunner, or as a real subprocess where the
process boundary matters (exit codes, stderr, no traceback). Plus small synchronous DB helpers,
since CLI tests are synchronous (each command runs its own event loop)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncpg
from click.testing import Result
from typer.testing import CliRunner

from supadesk.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
_runner = CliRunner()


def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """`supadesk ARGS` in-process; a wide terminal so rich does not wrap the lines we look for."""
    return _runner.invoke(app, list(args), env={"COLUMNS": "200", **(env or {})}, input=input)


def run_supadesk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "COLUMNS": "200", "SUPADESK_PROJECT_DIR": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "supadesk", *args], capture_output=True, text=True, env=full_env, cwd=ROOT, timeout=120
    )


def query(url: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    async def go() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(url)
        try:
            return await conn.fetch(sql, *args)
        finally:
            await conn.close()

    return asyncio.run(go())


def value(url: str, sql: str, *args: Any) -> Any:
    rows = query(url, sql, *args)
    return rows[0][0] if rows else None


def execute(url: str, statements: Sequence[str]) -> None:
    async def go() -> None:
        conn = await asyncpg.connect(url)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(go())


def stderr_lines(result: Result | subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]
