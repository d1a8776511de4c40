"""Run stage: the request's scope (ONE set_config statement), then its SQL in one transaction.

A request that is exactly one statement runs it in PostgreSQL's implicit transaction (two round
trips, see `RequestPool`); one that needs several statements (planned/estimated counts), may have to
roll back after the statement (`tx=rollback`, a `single()` or max-affected check on a mutation) runs
inside an explicit transaction, so a failed check undoes the write as in PostgREST."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from supadesk.server.context import RequestContext
from supadesk.server.db import RequestPool
from supadesk.server.rest import errors
from supadesk.server.rest.compile import Compiled
from supadesk.server.rest.pgerrors import from_postgres
from supadesk.server.rest.sql.params import bind

Connection = asyncpg.Connection | PoolConnectionProxy


@dataclass(frozen=True)
class Outcome:
    total: int | None
    page_total: int
    body: str | None


class _Rollback(Exception):
    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


async def execute(
    pool: RequestPool,
    ctx: RequestContext,
    compiled: Compiled,
    slots: list[str],
    body: str | None,
    on_commit: Callable[[], None] | None = None,
) -> Outcome:
    """Run the request; `on_commit` is called after a write transaction committed (realtime decodes
    right away instead of waiting for its next poll)."""
    try:
        scope = pool.statement if one_statement(compiled) else pool.transaction
        async with scope(ctx, readonly=compiled.readonly) as conn:
            outcome = await _run(conn, compiled, slots, body)
            if compiled.rollback:
                raise _Rollback(outcome)
        if on_commit is not None and not compiled.readonly:
            on_commit()
        return outcome
    except _Rollback as rolled_back:
        return rolled_back.outcome
    except asyncpg.PostgresError as exc:
        raise from_postgres(exc, ctx.is_anonymous_role) from exc
    except asyncpg.DataError as exc:  # a value asyncpg cannot encode for its parameter type
        raise errors.parse_error("Invalid value for a parameter", str(exc)) from exc
    except (OSError, asyncpg.InterfaceError) as exc:
        raise errors.database_unavailable() from exc


def one_statement(compiled: Compiled) -> bool:
    """True when the request is the main statement alone and nothing after it may undo it."""
    if compiled.planned_count is not None or compiled.rollback:
        return False
    if compiled.readonly:
        return True
    return compiled.max_affected is None and compiled.mode != "object"


async def _run(conn: Connection, compiled: Compiled, slots: list[str], body: str | None) -> Outcome:
    planned: int | None = None
    if compiled.planned_count is not None:
        planned = await _planned_rows(conn, compiled, slots, body)
    args = bind(compiled.main.sources, slots, body)
    if compiled.mode == "minimal":
        status = await conn.execute(compiled.main.sql, *args)
        rows = int(status.rsplit(" ", 1)[-1]) if status[-1:].isdigit() else 0
        outcome = Outcome(rows if compiled.count else None, rows, None)
    else:
        row = await conn.fetchrow(compiled.main.sql, *args)
        assert row is not None
        outcome = Outcome(row[0], row[1], row[2])
    if planned is not None:
        exact_needed = compiled.count == "estimated" and (compiled.max_rows is None or planned < compiled.max_rows)
        outcome = Outcome(
            await _exact(conn, compiled, slots, body) if exact_needed else planned, outcome.page_total, outcome.body
        )
    if compiled.count is not None and compiled.action in ("insert", "update", "delete"):
        outcome = Outcome(outcome.page_total, outcome.page_total, outcome.body)
    if compiled.max_affected is not None and outcome.page_total > compiled.max_affected:
        raise errors.max_affected(outcome.page_total, compiled.max_affected)
    if compiled.mode == "object" and outcome.page_total != 1:
        raise errors.singular(outcome.page_total)
    return outcome


async def _planned_rows(conn: Connection, compiled: Compiled, slots: list[str], body: str | None) -> int:
    assert compiled.planned_count is not None
    args = bind(compiled.planned_count.sources, slots, body)
    plan = await conn.fetchval(compiled.planned_count.sql, *args)
    parsed = json.loads(plan) if isinstance(plan, str) else plan
    return int(parsed[0]["Plan"]["Plan Rows"])


async def _exact(conn: Connection, compiled: Compiled, slots: list[str], body: str | None) -> int:
    assert compiled.planned_count is not None
    sql = "select count(*) from (" + compiled.planned_count.sql.removeprefix("explain (format json) ") + ") as c"
    value = await conn.fetchval(sql, *bind(compiled.planned_count.sources, slots, body))
    return int(value)
