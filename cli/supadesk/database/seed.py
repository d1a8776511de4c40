"""Apply `supabase/seed.sql` (the demo data is `demo.py`)."""

from __future__ import annotations

from pathlib import Path

import asyncpg

from supadesk.database.errors import DatabaseError
from supadesk.database.migrate import connect


async def apply_seed_file(url: str, path: Path) -> None:
    if not path.is_file():
        return
    conn = await connect(url)
    try:
        async with conn.transaction():
            await conn.execute(path.read_text())
    except asyncpg.PostgresError as exc:
        raise DatabaseError(f"{path.name} failed: {exc}") from exc
    finally:
        await conn.close()
