"""The one place where a request meets the database: pool creation and the request-scoped transaction.

Every surface (REST, storage, realtime authorization, functions' SQL) runs user work through
`scoped_transaction`, which opens a transaction and, in ONE parameterized statement, sets the role,
`request.jwt.claims`, `request.method`, `request.path`, `request.headers` and the search path —
as PostgREST's pre-request does — so `auth.uid()` and RLS hold identically everywhere.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from supadesk.server.context import RequestContext
from supadesk.types import Conn

STATEMENT_TIMEOUT = {"anon": "3s", "authenticated": "8s", "service_role": "0"}
SEARCH_PATH = "public, extensions"

_SCOPE_SQL = """
select
  set_config('search_path', $1, true),
  set_config('statement_timeout', $2, true),
  set_config('role', $3, true),
  set_config('request.jwt.claims', $4, true),
  set_config('request.jwt.claim.sub', $5, true),
  set_config('request.jwt.claim.role', $3, true),
  set_config('request.method', $6, true),
  set_config('request.path', $7, true),
  set_config('request.headers', $8, true)
"""


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Pool reset hook: nothing to reset, every request's settings are transaction-local."""


async def create_pool(db_url: str, min_size: int = 2, max_size: int = 20) -> asyncpg.Pool:
    # The default reset (RESET ALL, UNLISTEN, …) costs a round trip per request; surfaces only use
    # transaction-local settings (set_config(..., true)), so there is no session state to clear.
    pool = await asyncpg.create_pool(
        db_url,
        min_size=min_size,
        max_size=max_size,
        server_settings={"application_name": "supadesk"},
        reset=_keep_session,
    )
    assert pool is not None
    return pool


async def apply_scope(conn: Conn, ctx: RequestContext, search_path: str = SEARCH_PATH) -> None:
    """Set role, claims and request context transaction-locally (call inside a transaction)."""
    await conn.execute(
        _SCOPE_SQL,
        search_path,
        STATEMENT_TIMEOUT.get(ctx.role, "8s"),
        ctx.role,
        json.dumps(ctx.claims, separators=(",", ":")),
        str(ctx.claims.get("sub") or ""),
        ctx.method,
        ctx.path,
        json.dumps(ctx.headers, separators=(",", ":")),
    )


@asynccontextmanager
async def scoped_transaction(
    pool: asyncpg.Pool, ctx: RequestContext, *, readonly: bool = False, search_path: str = SEARCH_PATH
) -> AsyncIterator[Conn]:
    """A pooled connection inside a transaction that runs as `ctx` (role + claims + request)."""
    async with pool.acquire() as conn:
        async with conn.transaction(readonly=readonly):
            await apply_scope(conn, ctx, search_path)
            yield conn
