"""Apply `supabase/seed.sql` (the demo data is `demo.py`)."""

from __future__ import annotations

from pathlib import Path

import asyncpg

from supadesk.database.errors import DatabaseError
from supadesk.database.migrate import connect


async def apply_seed_file(url: str, path: Path) -> None:
    try:
        script = path.read_text()  # noqa: ASYNC240 - a small local file, read once
    except FileNotFoundError:
        return
    conn = await connect(url)
    try:
        async with conn.transaction():
            await conn.execute(script)
    except asyncpg.PostgresError as exc:
        raise DatabaseError(f"{path.name} failed: {exc}") from exc
    finally:
        await conn.close()
