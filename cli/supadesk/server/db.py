"""The one place where a request meets the database: the pools and the request-scoped connection.

Every surface (REST, storage, realtime authorization, functions' SQL) runs user work as the caller:
one parameterized statement sets the role, `request.jwt.claims` (and the `claim.*` shortcuts GoTrue's
`auth.*` functions read), `request.method`, `request.path`, `request.headers`, the search path and
the statement timeout — as PostgREST's pre-request does — so `auth.uid()` and RLS hold identically
everywhere. Two ways to hold that scope:

* `scoped_transaction(pool, ctx)` on the shared pool: BEGIN, the scope as transaction-local settings,
  the work, COMMIT — four round trips at least; the shared pool stays clean for internal work.
* `RequestPool`: connections that only ever run requests. Each use sets the scope as *session*
  settings, so a single-statement request costs two round trips (scope, statement). See its docstring.
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

# (setting, parameter) in the order they are set; role's value appears twice (`role`, `claim.role`).
_SCOPE = (
    ("search_path", "$1"),
    ("statement_timeout", "$2"),
    ("role", "$3"),
    ("request.jwt.claims", "$4"),
    ("request.jwt.claim.sub", "$5"),
    ("request.jwt.claim.role", "$3"),
    ("request.jwt.claim.email", "$6"),
    ("request.method", "$7"),
    ("request.path", "$8"),
    ("request.headers", "$9"),
)


def _scope_sql(is_local: bool, extra: tuple[tuple[str, str], ...] = ()) -> str:
    calls = ",\n  ".join(f"set_config('{name}', {param}, {str(is_local).lower()})" for name, param in _SCOPE + extra)
    return f"select\n  {calls}"


_LOCAL_SCOPE_SQL = _scope_sql(is_local=True)
# Session scope also fixes whether the statements that follow may write (a GET must not).
_SESSION_SCOPE_SQL = _scope_sql(is_local=False, extra=(("default_transaction_read_only", "$10"),))


def _scope_args(ctx: RequestContext, search_path: str) -> tuple[str, ...]:
    email = ctx.claims.get("email")
    return (
        search_path,
        STATEMENT_TIMEOUT.get(ctx.role, "8s"),
        ctx.role,
        json.dumps(ctx.claims, separators=(",", ":")),
        str(ctx.claims.get("sub") or ""),
        email if isinstance(email, str) else "",
        ctx.method,
        ctx.path,
        json.dumps(ctx.headers, separators=(",", ":")),
    )


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Pool reset hook: nothing to reset — the shared pool only takes transaction-local settings, and
    every use of a `RequestPool` connection overwrites its session scope first."""


async def create_pool(db_url: str, min_size: int = 2, max_size: int = 20) -> asyncpg.Pool:
    # The default reset (RESET ALL, UNLISTEN, …) costs a round trip per request and there is no
    # session state to clear (see _keep_session); asyncpg still ends any open transaction on release.
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
    await conn.execute(_LOCAL_SCOPE_SQL, *_scope_args(ctx, search_path))


@asynccontextmanager
async def scoped_transaction(
    pool: asyncpg.Pool, ctx: RequestContext, *, readonly: bool = False, search_path: str = SEARCH_PATH
) -> AsyncIterator[Conn]:
    """A pooled connection inside a transaction that runs as `ctx` (role + claims + request)."""
    async with pool.acquire() as conn:
        async with conn.transaction(readonly=readonly):
            await apply_scope(conn, ctx, search_path)
            yield conn


class RequestPool:
    """Connections reserved for requests' own SQL, each use starting with the request's scope as
    *session* settings in one statement.

    Why: BEGIN and COMMIT are round trips too. With the scope held by the session, a request that is
    one statement runs it in PostgreSQL's implicit transaction: two round trips instead of four, which
    measured 1.4× GET and 1.2× POST throughput at lower CPU on both sides (docs/benchmarks/rest.md).

    Why it is safe: nothing but `statement()` and `transaction()` touches these connections (internal
    work uses the shared pool), and both first overwrite every setting identity depends on — role,
    claims, the `claim.*` shortcuts, request method/path/headers, search path, timeout, read-only —
    in one statement, which is all or nothing (a failed statement rolls its settings back too). So
    no SQL ever runs on a request connection under an earlier request's identity; the test suite
    checks it on a one-connection pool.
    """

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @classmethod
    async def open(cls, db_url: str, min_size: int = 2, max_size: int = 20) -> RequestPool:
        return cls(await create_pool(db_url, min_size=min_size, max_size=max_size))

    async def close(self) -> None:
        await self._pool.close()

    @asynccontextmanager
    async def statement(
        self, ctx: RequestContext, *, readonly: bool = False, search_path: str = SEARCH_PATH
    ) -> AsyncIterator[Conn]:
        """A connection running as `ctx` where each statement is its own (implicit) transaction."""
        async with self._pool.acquire() as conn:
            await conn.execute(_SESSION_SCOPE_SQL, *_scope_args(ctx, search_path), "on" if readonly else "off")
            yield conn

    @asynccontextmanager
    async def transaction(
        self, ctx: RequestContext, *, readonly: bool = False, search_path: str = SEARCH_PATH
    ) -> AsyncIterator[Conn]:
        """A connection running as `ctx` inside one explicit transaction (several statements)."""
        async with self.statement(ctx, readonly=readonly, search_path=search_path) as conn:
            async with conn.transaction(readonly=readonly):
                yield conn
